// Package fiber holds rulec's hook on github.com/gofiber/fiber/v2 (plugin
// "fiber"): the route fiber matched names the fasthttp plugin's server span
// and its metric ("GET /users/{id}").
//
// Hook signatures are an ABI contract with the rulec compiler.
package fiber

import (
	"github.com/gofiber/fiber/v2"

	"rulec.dev/runtime/plugins/fasthttp"
)

// NextBefore is the before hook of (*App).next, which matches the next
// route of a request and runs its handler.
func NextBefore(c *fiber.Ctx) any { return c }

// NextAfter reports the route matched; the innermost (the handler's) first.
func NextAfter(state any, matched bool, err error) {
	c, ok := state.(*fiber.Ctx)
	if !ok || c == nil {
		return
	}
	if !matched {
		// A middleware's c.Next() found no route after its own: the
		// middleware's ("/" for app.Use), which the next out reports, is
		// not the request's.
		c.Locals(unmatched{}, true)
		return
	}
	if c.Locals(unmatched{}) != nil {
		return
	}
	if r := c.Route(); r != nil {
		fasthttp.SetRoute(c.Context(), r.Path)
	}
}

// unmatched is the key of the mark of a request a next matched no route for.
type unmatched struct{}
