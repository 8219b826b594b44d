package beego

import (
	"context"
	"testing"

	"github.com/beego/beego/v2/server/web"
	beecontext "github.com/beego/beego/v2/server/web/context"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// serve runs a beego router under the nethttp plugin's server hooks. The
// router calls FindRouter itself, out of a test's reach, so each handler
// runs it again, with its hooks, as rulec's advice would: it finds the
// same route (the request is the same).
func serve(t *testing.T, routes map[string]func(context.Context)) string {
	cr := web.NewControllerRegister()
	for pattern, handled := range routes {
		cr.Get(pattern, func(ctx *beecontext.Context) {
			info, found := cr.FindRouter(ctx)
			FindRouterAfter(FindRouterBefore(ctx), info, found)
			handled(ctx.Request.Context())
			ctx.WriteString("ok")
		})
	}
	return coretest.Serve(t, coretest.HookedServer(cr, nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestFoundRouteNamesServerSpanAndMetric(t *testing.T) {
	coretest.CheckMatchedRoutes(t,
		[]string{"/users/1", "/users/2", "/items/9", "/orders/7/lines"},
		[]string{"/users/{id}", "/users/{id}", "/items/{id}", "/orders/{order}/lines"},
		func(handled func(context.Context)) string {
			return serve(t, map[string]func(context.Context){
				"/users/:id":                   handled,
				"/items/:id:int":               handled,
				"/orders/:order([0-9]+)/lines": handled,
			})
		})
}

func TestRouteTemplate(t *testing.T) {
	for pattern, want := range map[string]string{
		"/users/:id": "/users/:id", "/items/:id:int": "/items/:id", "/a/:id([0-9]+)/b": "/a/:id/b",
		"/static": "/static", "/:splat_1": "/:splat_1",
	} {
		if got := routeTemplate(pattern); got != want {
			t.Errorf("routeTemplate(%q) = %q, want %q", pattern, got, want)
		}
	}
}
