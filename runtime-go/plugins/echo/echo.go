// Package echo holds rulec's hooks on github.com/labstack/echo/v4 (plugin
// "echo"): the route echo's router found names the request's server span
// and its metric, and an error a handler returned is recorded on it.
//
// Hook signatures are an ABI contract with the rulec compiler.
package echo

import (
	"github.com/labstack/echo/v4"

	"rulec.dev/runtime/plugins/nethttp"
)

// FindBefore is the before hook of (*Router).Find, which sets the matched
// route on the Context.
func FindBefore(method, path string, c echo.Context) any { return c }

// FindAfter reports the route the router found.
func FindAfter(state any) {
	if c, ok := state.(echo.Context); ok && c != nil {
		nethttp.SetRoute(c.Request(), c.Path())
	}
}

// ErrorBefore is the before hook of (*Echo).DefaultHTTPErrorHandler, which
// gets every error a handler returns.
func ErrorBefore(err error, c echo.Context) {
	if c != nil {
		nethttp.RecordError(c.Request(), err)
	}
}
