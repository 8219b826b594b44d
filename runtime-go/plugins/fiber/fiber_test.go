package fiber

import (
	"errors"
	"net"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"rulec.dev/runtime/core/coretest"
	fhooks "rulec.dev/runtime/plugins/fasthttp"
)

// The hooks are on (*App).next, which matches the next route of a request
// and calls the route's first handler. Fiber calls it from its request
// handler, for the first route, and from c.Next() once a route's handlers
// are done, for the following ones. The helpers below play both calls in
// apps whose first route is a middleware.

// hooked wraps the first route's handler as the request handler's next,
// rewritten, runs it once the route matched: the hooks around the call,
// which returns (true, the handler's error).
func hooked(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		st := NextBefore(c)
		defer func() { NextAfter(st, true, err) }()
		return h(c)
	}
}

// next plays a middleware's c.Next(), which calls next, rewritten, for the
// routes after its own. Whether next matched one shows in c.Route(): it is
// the route next matched, or still the middleware's.
func next(c *fiber.Ctx) (err error) {
	st := NextBefore(c)
	own := c.Route()
	defer func() { NextAfter(st, c.Route() != own, err) }()
	return c.Next()
}

// serve runs app on a loopback port for the rest of the test, its fasthttp
// server's Serve hooked as the fasthttp plugin's rule does: the server span
// the fiber hook names is that plugin's. It returns the base URL.
func serve(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fhooks.ServeBefore(app.Server(), ln)
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	t.Cleanup(func() {
		_ = app.Shutdown()
		<-done
	})
	return "http://" + ln.Addr().String()
}

func newApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	// A middleware, matched first, as most applications have.
	app.Use(hooked(next))
	return app
}

func TestMatchedRouteNamesServerSpanAndMetric(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	app := newApp()
	app.Get("/users/:id", func(c *fiber.Ctx) error { return c.SendString(c.Params("id")) })
	app.Group("/admin").Get("/items/:item", func(c *fiber.Ctx) error { return c.SendString("ok") })
	url := serve(t, app)

	// The handler's route, not the middleware's ("/"), matched before it.
	coretest.GetRoutes(t, rec, url,
		[]string{"/users/1", "/users/2", "/admin/items/9"},
		[]string{"/users/{id}", "/users/{id}", "/admin/items/{item}"})
	coretest.CheckRouteSeries(t, reader, map[any]uint64{"/users/{id}": 2, "/admin/items/{item}": 1})
}

func TestFailingRoutesKeepTheirName(t *testing.T) {
	rec := coretest.NewRecorder(t)
	app := newApp()
	app.Get("/boom", func(c *fiber.Ctx) error { return c.SendStatus(500) })
	app.Get("/err/:id", func(c *fiber.Ctx) error { return errors.New("broken") }) // fiber's error handler: a 500
	url := serve(t, app)

	for _, p := range []string{"/boom", "/err/1"} {
		if code, _ := coretest.Get(t, url+p); code != 500 {
			t.Fatalf("GET %s: %d", p, code)
		}
	}
	spans := coretest.WaitSpans(t, rec, 2)
	coretest.CheckRouteSpan(t, spans[0], "GET", "/boom", 500)
	coretest.CheckRouteSpan(t, spans[1], "GET", "/err/{id}", 500)
}

func TestUnmatchedRequestHasNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	app := newApp()
	app.Get("/users/:id", func(c *fiber.Ctx) error { return nil })
	url := serve(t, app)

	// The middleware matched, and ran; no route did.
	coretest.GetOneRoute(t, rec, url, "/nowhere", "", 404)
}

func TestHooksIgnoreWhatTheyCannotName(t *testing.T) {
	rec := coretest.NewRecorder(t)
	app := fiber.New()
	app.Get("/users/:id", hooked(func(c *fiber.Ctx) error {
		NextAfter(NextBefore(c), false, fiber.ErrNotFound) // a next that matched nothing
		return c.SendStatus(204)
	}))
	resp, err := app.Test(httptest.NewRequest("GET", "/users/1", nil)) // no fasthttp server hook: no span to name
	if err != nil || resp.StatusCode != 204 || len(rec.Ended()) != 0 {
		t.Fatalf("%v; spans %v", err, coretest.SpanNames(rec.Ended()))
	}
	NextAfter(nil, true, nil)
}
