// Package gin holds rulec's hooks on github.com/gin-gonic/gin (plugin
// "gin"): the route a gin Engine matched ("/users/:id", written
// "/users/{id}") names the request's server span and its metric, and the
// last error a handler attached to the gin Context is recorded on it.
//
// Hook signatures are an ABI contract with the rulec compiler.
package gin

import (
	"github.com/gin-gonic/gin"

	"rulec.dev/runtime/plugins/nethttp"
)

// HandleBefore is the before hook of (*Engine).handleHTTPRequest, which
// routes one request and runs its handlers.
func HandleBefore(c *gin.Context) any { return c }

// HandleAfter reports the route and the handlers' error, while the Context
// is still the request's (the Engine reuses it once this returns).
func HandleAfter(state any) {
	c, ok := state.(*gin.Context)
	if !ok || c == nil || c.Request == nil {
		return
	}
	nethttp.SetRoute(c.Request, c.FullPath())
	if last := c.Errors.Last(); last != nil {
		nethttp.RecordError(c.Request, last.Err)
	}
}
