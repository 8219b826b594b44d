package httprouter

import (
	"net/http"
	"testing"

	"github.com/julienschmidt/httprouter"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// hookedRouter is a router whose routes are added as the rewritten
// (*Router).Handle adds them: HandleBefore sees each one first.
type hookedRouter struct{ *httprouter.Router }

func (r hookedRouter) GET(path string, handle httprouter.Handle) {
	HandleBefore(r.Router, http.MethodGet, path, &handle)
	r.Handle(http.MethodGet, path, handle)
}

// serve runs h under the nethttp plugin's server hooks, whose span the
// route names; it returns the base URL.
func serve(t *testing.T, h http.Handler) string {
	return coretest.Serve(t, coretest.HookedServer(h, nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestTheMatchedRouteNamesTheServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := hookedRouter{httprouter.New()}
	r.GET("/users/:id", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		_, _ = w.Write([]byte(ps.ByName("id")))
	})
	r.GET("/files/*path", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {})
	url := serve(t, r)

	if code, body := coretest.Get(t, url+"/users/7"); code != 200 || body != "7" {
		t.Fatalf("GET /users/7: %d %q (the wrapped handler must get its params)", code, body)
	}
	coretest.Get(t, url+"/files/a/b.txt")
	if code, _ := coretest.Get(t, url+"/nowhere"); code != 404 {
		t.Fatalf("GET /nowhere: %d", code)
	}

	spans := coretest.WaitSpans(t, rec, 3)
	want := []struct{ name, route string }{
		{"GET /users/{id}", "/users/{id}"},
		{"GET /files/{path...}", "/files/{path...}"},
		{"GET", ""}, // no route matched: the span is named by the method only
	}
	for i, s := range spans {
		if s.Name() != want[i].name {
			t.Errorf("span %d: %q, want %q", i, s.Name(), want[i].name)
		}
		if got, ok := coretest.Attrs(s)["http.route"]; (want[i].route == "") == ok || (ok && got != want[i].route) {
			t.Errorf("%s: http.route %v", s.Name(), got)
		}
	}
}

func TestANilHandlerIsLeftToHttprouter(t *testing.T) {
	var handle httprouter.Handle
	HandleBefore(httprouter.New(), http.MethodGet, "/x", &handle)
	if handle != nil {
		t.Fatal("a nil handler was wrapped: httprouter would no longer refuse it")
	}
}

func TestSwitchedOffTheRouteIsNotRecorded(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := hookedRouter{httprouter.New()}
	r.GET("/users/:id", func(http.ResponseWriter, *http.Request, httprouter.Params) {})
	url := serve(t, r)

	pluginSwitch.Store(false) // as the live config does for a disabled plugin
	t.Cleanup(func() { pluginSwitch.Store(true) })
	coretest.Get(t, url+"/users/7")

	spans := coretest.WaitSpans(t, rec, 1)
	if spans[0].Name() != "GET" {
		t.Errorf("span %q: a switched-off plugin named it", spans[0].Name())
	}
}
