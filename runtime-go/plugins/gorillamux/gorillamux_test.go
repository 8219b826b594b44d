package gorillamux

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// hooked plays a Router whose Match is hooked. ServeHTTP calls Match out of
// a test's reach, so the hooked call is made first, on the same request;
// ServeHTTP's own then finds the same route and serves it.
func hooked(r *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var match mux.RouteMatch
		st := MatchBefore(req, &match)
		MatchAfter(st, r.Match(req, &match))
		r.ServeHTTP(w, req)
	})
}

// serve runs the router on a loopback server under the nethttp plugin's
// server hooks, which make the span the gorilla/mux hooks name.
func serve(t *testing.T, r *mux.Router) string {
	return coretest.Serve(t, coretest.HookedServer(hooked(r), nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestMatchedTemplateNamesServerSpanAndMetric(t *testing.T) {
	coretest.CheckMatchedRoutes(t,
		[]string{"/users/1", "/users/2", "/admin/items/9"},
		// The template as written, regular expression and all; a
		// subrouter's carries its prefix.
		[]string{"/users/{id:[0-9]+}", "/users/{id:[0-9]+}", "/admin/items/{item}"},
		func(handled func(context.Context)) string {
			ok := func(w http.ResponseWriter, r *http.Request) {
				handled(r.Context())
				w.Write([]byte(mux.Vars(r)["id"] + mux.Vars(r)["item"]))
			}
			r := mux.NewRouter()
			r.HandleFunc("/users/{id:[0-9]+}", ok).Methods("GET")
			r.PathPrefix("/admin").Subrouter().HandleFunc("/items/{item}", ok)
			return serve(t, r)
		})
}

func TestNoRouteWithoutAMatch(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := mux.NewRouter()
	r.HandleFunc("/users/{id}", func(http.ResponseWriter, *http.Request) {}).Methods("GET")
	url := serve(t, r)

	resp, err := http.Post(url+"/users/1", "text/plain", nil) // the path matches, the method does not
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, _ := coretest.Get(t, url+"/nowhere"); code != 404 || resp.StatusCode != 405 {
		t.Fatalf("status %d, %d", code, resp.StatusCode)
	}
	spans := coretest.WaitSpans(t, rec, 2)
	coretest.CheckRouteSpan(t, spans[0], "POST", "", 405)
	coretest.CheckRouteSpan(t, spans[1], "GET", "", 404)
}

func TestNotFoundHandlerMatchHasNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := mux.NewRouter()
	r.HandleFunc("/users/{id}", func(http.ResponseWriter, *http.Request) {})
	// With a NotFoundHandler, Match reports a match, but of no route.
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) })
	url := serve(t, r)

	coretest.GetOneRoute(t, rec, url, "/nowhere", "", 404)
}

func TestFailedHandlerKeepsItsRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := mux.NewRouter()
	r.HandleFunc("/fail/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	url := serve(t, r)

	coretest.GetOneRoute(t, rec, url, "/fail/1", "/fail/{id}", 500)
}

func TestHooksAreNoOpsOutsideAServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := mux.NewRouter()
	r.HandleFunc("/users/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	w := httptest.NewRecorder()
	hooked(r).ServeHTTP(w, httptest.NewRequest("GET", "/users/1", nil))
	if w.Code != 204 || len(rec.Ended()) != 0 {
		t.Errorf("status %d, spans %v", w.Code, coretest.SpanNames(rec.Ended()))
	}
	MatchAfter(nil, true)
	MatchAfter(MatchBefore(httptest.NewRequest("GET", "/", nil), nil), true) // no RouteMatch
}
