// Package chi holds rulec's hooks on github.com/go-chi/chi/v5 (plugin
// "chi"): the route pattern chi matched, across mounted sub-routers, names
// the request's server span and its metric.
//
// Hook signatures are an ABI contract with the rulec compiler.
package chi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"rulec.dev/runtime/plugins/nethttp"
)

// RouteBefore is the before hook of (*Mux).routeHTTP, which finds the route
// and runs its handler.
func RouteBefore(w http.ResponseWriter, r *http.Request) any { return r }

// RouteAfter reports the pattern matched. The innermost router reports
// first, with the whole pattern of every router it is mounted under.
func RouteAfter(state any) {
	r, ok := state.(*http.Request)
	if !ok || r == nil {
		return
	}
	if rctx := chi.RouteContext(r.Context()); rctx != nil {
		nethttp.SetRoute(r, rctx.RoutePattern())
	}
}
