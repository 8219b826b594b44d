package echo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// newEcho is an echo whose Find and DefaultHTTPErrorHandler are hooked.
// ServeHTTP calls the router's Find itself, out of a test's reach, then the
// middlewares Use added: the first sees the Context just as Find left it,
// so it runs Find's hooks. The error handler is ours: the default one,
// with its hook first.
func newEcho() *echo.Echo {
	e := echo.New()
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			FindAfter(FindBefore(c.Request().Method, echo.GetPath(c.Request()), c))
			return next(c)
		}
	})
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		ErrorBefore(err, c)
		e.DefaultHTTPErrorHandler(err, c)
	}
	return e
}

// serve runs e on a loopback server under the nethttp plugin's server
// hooks, which make the span the echo hooks name.
func serve(t *testing.T, e *echo.Echo) string {
	return coretest.Serve(t, coretest.HookedServer(e, nethttp.ServerBefore, nethttp.ServerAfter))
}

func TestFoundRouteNamesServerSpanAndMetric(t *testing.T) {
	coretest.CheckMatchedRoutes(t,
		[]string{"/users/1", "/users/2", "/admin/items/9", "/files/a/b.txt"},
		[]string{"/users/{id}", "/users/{id}", "/admin/items/{item}", "/files/*"},
		func(handled func(context.Context)) string {
			ok := func(c echo.Context) error { handled(c.Request().Context()); return c.String(200, "ok") }
			e := newEcho()
			e.GET("/users/:id", ok)
			e.Group("/admin").GET("/items/:item", ok)
			e.GET("/files/*", ok)
			return serve(t, e)
		})
}

func TestReturnedErrorsAreRecordedOnTheSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := newEcho()
	e.GET("/fail/:id", func(c echo.Context) error { return errors.New("boom") })
	e.GET("/forbidden", func(c echo.Context) error { return echo.NewHTTPError(http.StatusForbidden, "no") })
	url := serve(t, e)

	if code, _ := coretest.Get(t, url+"/fail/1"); code != 500 {
		t.Fatalf("status %d", code)
	}
	if code, _ := coretest.Get(t, url+"/forbidden"); code != 403 {
		t.Fatalf("status %d", code)
	}
	spans := coretest.WaitSpans(t, rec, 2)

	fail := coretest.FindSpan(t, spans, "GET /fail/{id}", trace.SpanKindServer)
	coretest.CheckRouteSpan(t, fail, "GET", "/fail/{id}", 500)
	if fmt.Sprint(coretest.ExceptionMessages(fail)) != "[boom]" {
		t.Errorf("500: exceptions %v", coretest.ExceptionMessages(fail))
	}

	// A 4xx is the client's error: on record, but the span has not failed.
	forbidden := coretest.FindSpan(t, spans, "GET /forbidden", trace.SpanKindServer)
	coretest.CheckRouteSpan(t, forbidden, "GET", "/forbidden", 403)
	if len(coretest.ExceptionMessages(forbidden)) != 1 {
		t.Errorf("403: exceptions %v", coretest.ExceptionMessages(forbidden))
	}
}

func TestUnknownPathsHaveNoRoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	e := newEcho()
	e.GET("/users/:id", func(c echo.Context) error { return nil })
	url := serve(t, e)

	// Echo's router leaves the request's own path on the Context when it
	// finds nothing: as a route, each would be a metric series of its own.
	paths := []string{"/nowhere/1", "/nowhere/2", "/users"}
	for _, p := range paths {
		if code, _ := coretest.Get(t, url+p); code != 404 {
			t.Fatalf("GET %s: status %d", p, code)
		}
	}
	// A 404 is the client's error: the span has not failed.
	for _, s := range coretest.WaitSpans(t, rec, len(paths)) {
		coretest.CheckRouteSpan(t, s, "GET", "", 404)
	}
	points, _ := coretest.Histogram(t, reader, "http.server.request.duration")
	if len(points) != 1 || points[0].Count != uint64(len(paths)) {
		t.Errorf("%d duration series, want one for every 404", len(points))
	}
}

func TestNotFoundRouteOfTheApplicationIsARoute(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := newEcho()
	e.RouteNotFound("/api/*", func(c echo.Context) error { return c.NoContent(404) })
	url := serve(t, e)

	coretest.GetOneRoute(t, rec, url, "/api/nowhere", "/api/*", 404)
}

func TestHooksAreNoOpsOutsideAServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	e := newEcho()
	e.GET("/fail", func(c echo.Context) error { return errors.New("boom") })
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest("GET", "/fail", nil))
	if w.Code != 500 || len(rec.Ended()) != 0 {
		t.Errorf("status %d, spans %v", w.Code, coretest.SpanNames(rec.Ended()))
	}
	FindAfter(nil)
	ErrorBefore(errors.New("boom"), nil)
}
