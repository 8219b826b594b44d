// Package httprouter holds rulec's hooks on github.com/julienschmidt/httprouter:
// the path pattern of the route a Router matched names the request's server
// span and its metric.
//
// Hook signatures are an ABI contract with the rulec compiler.
package httprouter

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/plugins/nethttp"
)

// Routes are added once, at start-up, and their handlers run on every
// request after: the switch is read there, so that turning the plugin off
// at run time stops the work.
var pluginSwitch = core.PackageSwitch()

// HandleBefore is the before hook of (*Router).Handle: the route's handler
// is wrapped to report the route's path pattern before it runs.
func HandleBefore(_ *httprouter.Router, _ string, path string, handle *httprouter.Handle) {
	next := *handle
	if next == nil {
		return // httprouter panics on a nil handler itself; leave that to it
	}
	*handle = func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		if pluginSwitch.Load() {
			nethttp.SetRoute(r, path)
		}
		next(w, r, ps)
	}
}
