package gin

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

func init() { gin.SetMode(gin.TestMode) }

// hooked plays the Engine's ServeHTTP with handleHTTPRequest rewritten.
// ServeHTTP readies a pooled Context for the request and calls
// handleHTTPRequest with it; HandleContext makes that same call, so the
// hooks go around it, on a Context readied the same way.
func hooked(e *gin.Engine) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := gin.CreateTestContextOnly(w, e)
		c.Request = r
		st := HandleBefore(c)
		defer HandleAfter(st)
		e.HandleContext(c)
	})
}

// serve runs the engine on a loopback server under the nethttp plugin's
// server hooks, which make the span the gin hooks name.
func serve(t *testing.T, e *gin.Engine) string {
	return coretest.Serve(t, coretest.HookedServer(hooked(e), nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestMatchedRouteNamesServerSpanAndMetric(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	var handlerSpans []trace.SpanContext
	ok := func(c *gin.Context) {
		handlerSpans = append(handlerSpans, trace.SpanContextFromContext(c.Request.Context()))
		c.String(200, "ok")
	}
	e := gin.New()
	e.GET("/users/:id", ok)
	e.Group("/admin").GET("/items/:item", ok)
	e.GET("/files/*path", ok)
	url := serve(t, e)

	for _, p := range []string{"/users/1", "/users/2", "/admin/items/9", "/files/a/b.txt"} {
		if code, _ := coretest.Get(t, url+p, "traceparent", coretest.Traceparent); code != 200 {
			t.Fatalf("GET %s: %d", p, code)
		}
	}

	spans := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 4 })
	want := []struct{ name, route string }{
		{"GET /users/{id}", "/users/{id}"},
		{"GET /users/{id}", "/users/{id}"},
		{"GET /admin/items/{item}", "/admin/items/{item}"},
		{"GET /files/{path...}", "/files/{path...}"},
	}
	for i, s := range spans {
		if s.Name() != want[i].name || s.SpanKind() != trace.SpanKindServer || s.Status().Code != codes.Unset {
			t.Errorf("span %d: %q kind %v status %v", i, s.Name(), s.SpanKind(), s.Status())
		}
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"http.route": want[i].route, "http.response.status_code": int64(200)})
		coretest.CheckRemoteParent(t, s)
		if !handlerSpans[i].Equal(s.SpanContext()) {
			t.Errorf("%s: the handler's context does not carry the server span", s.Name())
		}
	}

	points, _ := coretest.Histogram(t, reader, "http.server.request.duration")
	counts := map[any]uint64{}
	for _, p := range points {
		counts[coretest.SetAttrs(p.Attributes)["http.route"]] += p.Count
	}
	if counts["/users/{id}"] != 2 || len(counts) != 3 {
		t.Errorf("duration records by route: %v, want one series per route whatever the ids", counts)
	}
}

func TestHandlerErrorIsRecordedOnTheSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.GET("/fail", func(c *gin.Context) {
		_ = c.Error(errors.New("first"))
		_ = c.Error(errors.New("boom"))
		c.Status(500)
	})
	url := serve(t, e)

	if code, _ := coretest.Get(t, url+"/fail"); code != 500 {
		t.Fatalf("status %d", code)
	}
	s := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 1 })[0]
	if s.Name() != "GET /fail" || s.Status().Code != codes.Error {
		t.Errorf("span %q status %v", s.Name(), s.Status())
	}
	// The last error the handlers attached, once.
	if got := fmt.Sprint(coretest.ExceptionMessages(s)); got != "[boom]" {
		t.Errorf("exceptions %s", got)
	}
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"http.response.status_code": int64(500), "error.type": "500"})
}

func TestClientErrorDoesNotFailTheSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.POST("/users", func(c *gin.Context) {
		var body struct {
			Name string `json:"name" binding:"required"`
		}
		_ = c.Bind(&body) // a 400 with the binding error attached
	})
	url := serve(t, e)

	resp, err := http.Post(url+"/users", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	s := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 1 })[0]
	// As for any server span, a 4xx is the client's error, not the
	// server's: the error is on record, the span has not failed.
	if s.Name() != "POST /users" || s.Status().Code != codes.Unset || len(coretest.ExceptionMessages(s)) != 1 {
		t.Errorf("span %q status %v exceptions %v", s.Name(), s.Status(), coretest.ExceptionMessages(s))
	}
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"http.response.status_code": int64(400), "error.type": nil})
}

func TestUnmatchedRequestHasNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.GET("/users/:id", func(c *gin.Context) {})
	url := serve(t, e)

	if code, _ := coretest.Get(t, url+"/nowhere"); code != 404 {
		t.Fatalf("status %d", code)
	}
	s := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 1 })[0]
	if s.Name() != "GET" || s.Status().Code != codes.Unset || len(s.Events()) != 0 {
		t.Errorf("span %q status %v events %v", s.Name(), s.Status(), s.Events())
	}
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"http.route": nil, "http.response.status_code": int64(404)})
}

func TestPanickingHandlerKeepsItsRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New() // no Recovery: the panic reaches net/http
	e.GET("/panic/:id", func(c *gin.Context) { panic("boom") })
	url := serve(t, e)

	coretest.GetFails(t, url+"/panic/1")
	s := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 1 })[0]
	// The after hook runs while the panic unwinds handleHTTPRequest.
	if s.Name() != "GET /panic/{id}" || s.Status().Code != codes.Error || fmt.Sprint(coretest.ExceptionMessages(s)) != "[boom]" {
		t.Errorf("span %q status %v exceptions %v", s.Name(), s.Status(), coretest.ExceptionMessages(s))
	}
}

func TestHooksAreNoOpsOutsideAServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := gin.New()
	e.GET("/fail", func(c *gin.Context) { _ = c.Error(errors.New("boom")); c.Status(500) })
	w := httptest.NewRecorder()
	hooked(e).ServeHTTP(w, httptest.NewRequest("GET", "/fail", nil))
	if w.Code != 500 || len(rec.Ended()) != 0 {
		t.Errorf("status %d, spans %v", w.Code, coretest.SpanNames(rec.Ended()))
	}
	HandleAfter(nil)
	HandleAfter(&gin.Context{}) // no request
}
