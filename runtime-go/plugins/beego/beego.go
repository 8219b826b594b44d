// Package beego holds rulec's hooks on github.com/beego/beego/v2 (plugin
// "beego"): the route beego's router found names the request's server span
// and its metric.
//
// Hook signatures are an ABI contract with the rulec compiler.
package beego

import (
	"strings"

	"github.com/beego/beego/v2/server/web"
	beecontext "github.com/beego/beego/v2/server/web/context"

	"rulec.dev/runtime/plugins/nethttp"
)

// FindRouterBefore is the before hook of (*ControllerRegister).FindRouter.
func FindRouterBefore(ctx *beecontext.Context) any { return ctx }

// FindRouterAfter reports the pattern of the route found, if any.
func FindRouterAfter(state any, route *web.ControllerInfo, found bool) {
	ctx, ok := state.(*beecontext.Context)
	if !ok || ctx == nil || !found || route == nil {
		return
	}
	nethttp.SetRoute(ctx.Request, routeTemplate(route.GetPattern()))
}

// routeTemplate drops what beego's patterns say about a parameter beyond
// its name, a regular expression (":id([0-9]+)") or a type (":id:int"), so
// that "/users/:id:int" is written "/users/{id}" as other routers' are.
func routeTemplate(pattern string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		if len(p) < 2 || p[0] != ':' {
			continue
		}
		end := 1
		for end < len(p) && (p[end] == '_' || isAlnum(p[end])) {
			end++
		}
		parts[i] = p[:end]
	}
	return strings.Join(parts, "/")
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
