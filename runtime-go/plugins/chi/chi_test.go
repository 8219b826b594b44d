package chi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// routeHooks plays the rewritten (*Mux).routeHTTP: a mux's handler is its
// middlewares chained around routeHTTP, so the middleware Use adds last
// calls routeHTTP itself, and runs the hooks exactly around it.
func routeHooks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := RouteBefore(w, r)
		defer RouteAfter(st)
		next.ServeHTTP(w, r)
	})
}

// newRouter is a chi router whose routeHTTP is hooked.
func newRouter() *chi.Mux {
	r := chi.NewRouter()
	r.Use(routeHooks)
	return r
}

// serve runs h on a loopback server under the nethttp plugin's server
// hooks, which make the span the chi hooks name; it returns the base URL.
func serve(t *testing.T, h http.Handler) string {
	return coretest.Serve(t, coretest.HookedServer(h, nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestMatchedRouteNamesServerSpanAndMetric(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	var handlerSpans []trace.SpanContext
	ok := func(w http.ResponseWriter, r *http.Request) {
		handlerSpans = append(handlerSpans, trace.SpanContextFromContext(r.Context()))
		fmt.Fprint(w, chi.URLParam(r, "id")+chi.URLParam(r, "item"))
	}
	r := newRouter()
	r.Get("/users/{id}", ok)
	admin := newRouter()
	admin.Get("/items/{item}", ok)
	r.Mount("/admin", admin)
	url := serve(t, r)

	for _, p := range []string{"/users/1", "/users/2", "/admin/items/9"} {
		if code, body := coretest.Get(t, url+p, "traceparent", coretest.Traceparent); code != 200 || body == "" {
			t.Fatalf("GET %s: %d %q", p, code, body)
		}
	}

	spans := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 3 })
	want := []struct{ name, route, path string }{
		{"GET /users/{id}", "/users/{id}", "/users/1"},
		{"GET /users/{id}", "/users/{id}", "/users/2"},
		// The mounted router's pattern carries the mount point.
		{"GET /admin/items/{item}", "/admin/items/{item}", "/admin/items/9"},
	}
	for i, s := range spans {
		if s.Name() != want[i].name || s.SpanKind() != trace.SpanKindServer || s.Status().Code != codes.Unset {
			t.Errorf("span %d: %q kind %v status %v", i, s.Name(), s.SpanKind(), s.Status())
		}
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
			"http.route": want[i].route, "url.path": want[i].path, "http.response.status_code": int64(200),
		})
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
	if counts["/users/{id}"] != 2 || counts["/admin/items/{item}"] != 1 || len(counts) != 2 {
		t.Errorf("duration records by route: %v, want one series per route whatever the ids", counts)
	}
}

func TestUnmatchedRequestHasNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := newRouter()
	r.Get("/users/{id}", func(http.ResponseWriter, *http.Request) {})
	url := serve(t, r)

	if code, _ := coretest.Get(t, url+"/nowhere"); code != 404 {
		t.Fatalf("status %d", code)
	}
	s := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 1 })[0]
	if s.Name() != "GET" || s.Status().Code != codes.Unset {
		t.Errorf("span %q status %v", s.Name(), s.Status())
	}
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"http.route": nil, "http.response.status_code": int64(404)})
}

func TestFailedAndPanickingHandlersKeepTheirRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := newRouter()
	r.Get("/fail/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	r.Get("/panic/{id}", func(http.ResponseWriter, *http.Request) { panic("boom") })
	url := serve(t, r)

	if code, _ := coretest.Get(t, url+"/fail/1"); code != 503 {
		t.Fatalf("status %d", code)
	}
	coretest.GetFails(t, url+"/panic/1")

	spans := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == 2 })
	fail := coretest.FindSpan(t, spans, "GET /fail/{id}", trace.SpanKindServer)
	if fail.Status().Code != codes.Error {
		t.Errorf("503: status %v", fail.Status())
	}
	coretest.CheckAttrs(t, fail.Name(), coretest.Attrs(fail), map[string]any{"error.type": "503", "http.route": "/fail/{id}"})
	// The after hook runs while the panic unwinds routeHTTP.
	p := coretest.FindSpan(t, spans, "GET /panic/{id}", trace.SpanKindServer)
	if p.Status().Code != codes.Error || fmt.Sprint(coretest.ExceptionMessages(p)) != "[boom]" {
		t.Errorf("panic: status %v exceptions %v", p.Status(), coretest.ExceptionMessages(p))
	}
}

func TestRouteIsIgnoredOutsideAServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := newRouter()
	r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/users/1", nil)) // not under nethttp's hooks
	if w.Code != 204 || len(rec.Ended()) != 0 {
		t.Errorf("status %d, spans %v", w.Code, coretest.SpanNames(rec.Ended()))
	}
	RouteAfter(nil) // a before hook that had nothing to follow
}
