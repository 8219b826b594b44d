package coretest

import (
	"context"
	"maps"
	"strconv"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// WaitSpans waits until n spans have ended (see WaitEnded) and returns them.
func WaitSpans(t testing.TB, rec *tracetest.SpanRecorder, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	return WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) == n })
}

// CheckRouteSpan checks the SERVER span of a request a router served:
// named by its method and route ("GET /users/{id}"), or its method alone
// when route is "" (no route matched), with that http.route (none for ""),
// the status code code, and failed, with the code as error.type, for a 5xx
// only (a 4xx is the client's error).
func CheckRouteSpan(t testing.TB, s sdktrace.ReadOnlySpan, method, route string, code int64) {
	t.Helper()
	name, wantRoute, status, errType := method, any(nil), codes.Unset, any(nil)
	if route != "" {
		name, wantRoute = method+" "+route, route
	}
	if code >= 500 {
		status, errType = codes.Error, strconv.FormatInt(code, 10)
	}
	if s.Name() != name || s.SpanKind() != trace.SpanKindServer || s.Status().Code != status {
		t.Errorf("span %q kind %v status %v, want %q %v", s.Name(), s.SpanKind(), s.Status(), name, status)
	}
	CheckAttrs(t, s.Name(), Attrs(s), map[string]any{
		"http.route": wantRoute, "http.response.status_code": code, "error.type": errType,
	})
}

// GetRoutes sends a GET carrying Traceparent for each of paths below url,
// one after another, each to be answered 200 with a body. It waits for
// their server spans and checks that each is named by its route, routes[i]
// (CheckRouteSpan), carries its path as url.path and continues the remote
// trace; it returns them, in order.
func GetRoutes(t testing.TB, rec *tracetest.SpanRecorder, url string, paths, routes []string) []sdktrace.ReadOnlySpan {
	t.Helper()
	for _, p := range paths {
		if code, body := Get(t, url+p, "traceparent", Traceparent); code != 200 || body == "" {
			t.Fatalf("GET %s: %d %q", p, code, body)
		}
	}
	spans := WaitSpans(t, rec, len(paths))
	for i, s := range spans {
		CheckRouteSpan(t, s, "GET", routes[i], 200)
		CheckAttrs(t, s.Name(), Attrs(s), map[string]any{"url.path": paths[i]})
		CheckRemoteParent(t, s)
	}
	return spans
}

// GetOneRoute sends a GET for path below url, to be answered code, waits
// for its server span, the test's only one, and checks it is named by
// route (CheckRouteSpan); it returns the span.
func GetOneRoute(t testing.TB, rec *tracetest.SpanRecorder, url, path, route string, code int64) sdktrace.ReadOnlySpan {
	t.Helper()
	if got, _ := Get(t, url+path); int64(got) != code {
		t.Fatalf("GET %s: status %d, want %d", path, got, code)
	}
	s := WaitSpans(t, rec, 1)[0]
	CheckRouteSpan(t, s, "GET", route, code)
	return s
}

// handlerSpans collects the span each request's handler finds in its
// request's context, to check it is the request's server span.
type handlerSpans struct {
	mu  sync.Mutex
	got []trace.SpanContext
}

// Add records the span of a handler's request context.
func (h *handlerSpans) Add(ctx context.Context) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = append(h.got, trace.SpanContextFromContext(ctx))
}

// Check checks that the i-th handler found the i-th of spans, the server
// spans of its requests, in order.
func (h *handlerSpans) Check(t testing.TB, spans []sdktrace.ReadOnlySpan) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.got) != len(spans) {
		t.Fatalf("%d handler calls for %d spans", len(h.got), len(spans))
	}
	for i, s := range spans {
		if !h.got[i].Equal(s.SpanContext()) {
			t.Errorf("%s: the handler's context does not carry the server span", s.Name())
		}
	}
}

// CheckRouteSeries checks http.server.request.duration (in seconds) by
// route: one series per route, whatever the path's ids, with the counts
// of want (the key nil for requests no route matched), and no other.
func CheckRouteSeries(t testing.TB, reader sdkmetric.Reader, want map[any]uint64) {
	t.Helper()
	counts := SeriesCounts(t, reader, "http.server.request.duration", "s", func(a map[string]any) any { return a["http.route"] })
	if !maps.Equal(counts, want) {
		t.Errorf("duration records by route: %v, want %v", counts, want)
	}
}

// CheckMatchedRoutes runs the scenario of requests a router matched: serve
// builds the router under test, whose handlers call handled with their
// request's context and answer 200 with a body, runs it under the server
// hooks whose span the router's hooks name and returns its URL. Each of
// paths is then requested and its span checked to be named by its route,
// routes[i] (GetRoutes), to be the one its handler found in its context
// (handlerSpans), and counted in its route's duration series, one series
// per route (CheckRouteSeries).
func CheckMatchedRoutes(t *testing.T, paths, routes []string, serve func(handled func(context.Context)) string) {
	t.Helper()
	rec := NewRecorder(t)
	reader := NewMetricReader(t)
	var handlers handlerSpans
	url := serve(handlers.Add)
	handlers.Check(t, GetRoutes(t, rec, url, paths, routes))
	want := map[any]uint64{}
	for _, r := range routes {
		want[r]++
	}
	CheckRouteSeries(t, reader, want)
}
