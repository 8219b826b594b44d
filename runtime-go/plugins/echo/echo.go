// Package echo holds rulec's hooks on github.com/labstack/echo/v4 (plugin
// "echo"): the route echo's router found names the request's server span
// and its metric, and an error a handler returned is recorded on it.
//
// Hook signatures are an ABI contract with the rulec compiler.
package echo

import (
	"reflect"

	"github.com/labstack/echo/v4"

	"rulec.dev/runtime/plugins/nethttp"
)

// FindBefore is the before hook of (*Router).Find, which sets the matched
// route on the Context.
func FindBefore(method, path string, c echo.Context) any { return c }

// FindAfter reports the route the router found. When it found none, the
// Context keeps echo's NotFoundHandler and, for its path, the request's
// own: no route, which would make a span name and a metric series of each.
func FindAfter(state any) {
	c, ok := state.(echo.Context)
	if !ok || c == nil {
		return
	}
	if h := c.Handler(); h == nil || reflect.ValueOf(h).Pointer() == reflect.ValueOf(echo.NotFoundHandler).Pointer() {
		return
	}
	nethttp.SetRoute(c.Request(), c.Path())
}

// ErrorBefore is the before hook of (*Echo).DefaultHTTPErrorHandler, which
// gets every error a handler returns.
func ErrorBefore(err error, c echo.Context) {
	if c != nil {
		nethttp.RecordError(c.Request(), err)
	}
}
