package chi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/codes"
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
	coretest.CheckMatchedRoutes(t,
		[]string{"/users/1", "/users/2", "/admin/items/9"},
		// The mounted router's pattern carries the mount point.
		[]string{"/users/{id}", "/users/{id}", "/admin/items/{item}"},
		func(handled func(context.Context)) string {
			ok := func(w http.ResponseWriter, r *http.Request) {
				handled(r.Context())
				fmt.Fprint(w, chi.URLParam(r, "id")+chi.URLParam(r, "item"))
			}
			r := newRouter()
			r.Get("/users/{id}", ok)
			admin := newRouter()
			admin.Get("/items/{item}", ok)
			r.Mount("/admin", admin)
			return serve(t, r)
		})
}

func TestUnmatchedRequestHasNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	r := newRouter()
	r.Get("/users/{id}", func(http.ResponseWriter, *http.Request) {})
	url := serve(t, r)

	coretest.GetOneRoute(t, rec, url, "/nowhere", "", 404)
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

	spans := coretest.WaitSpans(t, rec, 2)
	coretest.CheckRouteSpan(t, coretest.FindSpan(t, spans, "GET /fail/{id}", trace.SpanKindServer), "GET", "/fail/{id}", 503)
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
