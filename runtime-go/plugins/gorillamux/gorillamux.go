// Package gorillamux holds rulec's hooks on github.com/gorilla/mux (plugin
// "gorillamux"): the path template of the route a Router matched names the
// request's server span and its metric.
//
// Hook signatures are an ABI contract with the rulec compiler.
package gorillamux

import (
	"net/http"

	"github.com/gorilla/mux"

	"rulec.dev/runtime/plugins/nethttp"
)

type matchState struct {
	req   *http.Request
	match *mux.RouteMatch
}

// MatchBefore is the before hook of (*Router).Match.
func MatchBefore(req *http.Request, match *mux.RouteMatch) any {
	return matchState{req, match}
}

// MatchAfter reports the template of the route matched, if one was.
func MatchAfter(state any, matched bool) {
	st, ok := state.(matchState)
	if !ok || !matched || st.match == nil || st.match.Route == nil {
		return
	}
	if tpl, err := st.match.Route.GetPathTemplate(); err == nil {
		nethttp.SetRoute(st.req, tpl)
	}
}
