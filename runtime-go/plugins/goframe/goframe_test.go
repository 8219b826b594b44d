package goframe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gogf/gf/v2/net/ghttp"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// serve runs a GoFrame server's router under the nethttp plugin's server
// hooks. getHandlersWithCache runs inside ServeHTTP, out of a test's
// reach: the handler reports what it found (the request's Router) through
// the hooks, as rulec's advice would.
func serve(t *testing.T, handled func(context.Context), bind func(s *ghttp.Server, handle ghttp.HandlerFunc)) string {
	s := ghttp.GetServer(t.Name())
	s.SetDumpRouterMap(false)
	bind(s, func(r *ghttp.Request) {
		found := &ghttp.HandlerItemParsed{Handler: &ghttp.HandlerItem{Router: r.Router}}
		HandlersAfter(HandlersBefore(r), nil, found, false, true)
		handled(r.Context())
		r.Response.Write("ok")
	})
	s.SetAddr("127.0.0.1:0")
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown() })
	// The server's own listener serves without rulec's hooks; the test's
	// serves the same router under them, and runs the hook of GoFrame's
	// tracing middleware first, as the advice does.
	stepAside := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r := &ghttp.Request{Request: req}
		ServerTracingBefore(r)
		if r.Context().Value(serverTraced) == nil {
			t.Error("a request rulec serves is not marked traced for GoFrame's middleware")
		}
		s.ServeHTTP(w, req.WithContext(r.Context()))
	})
	return coretest.Serve(t, coretest.HookedServer(stepAside, nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestFoundRouteNamesServerSpanAndMetric(t *testing.T) {
	coretest.CheckMatchedRoutes(t,
		[]string{"/users/1", "/users/2", "/admin/items/9"},
		[]string{"/users/{id}", "/users/{id}", "/admin/items/{item}"},
		func(handled func(context.Context)) string {
			return serve(t, handled, func(s *ghttp.Server, h ghttp.HandlerFunc) {
				s.BindHandler("GET:/users/{id}", h)
				s.Group("/admin", func(g *ghttp.RouterGroup) { g.GET("/items/:item", h) })
			})
		})
}

func TestGoFrameClientMiddlewareStepsAsideWhileRulecTraces(t *testing.T) {
	coretest.NewRecorder(t)
	ctx := context.Background()
	DoRequestBefore(nil, &ctx, "GET", "http://example.invalid/", nil)
	if ctx.Value(clientTraced) == nil {
		t.Error("a request rulec's nethttp plugin traces is not marked traced for GoFrame's client middleware")
	}
}

func TestAnUntracedRequestIsLeftToGoFrame(t *testing.T) {
	r := &ghttp.Request{Request: httptest.NewRequest(http.MethodGet, "/", nil)}
	ServerTracingBefore(r)
	if r.Context().Value(serverTraced) != nil {
		t.Error("a request rulec does not serve was marked traced")
	}
}
