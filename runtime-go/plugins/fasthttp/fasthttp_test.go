package fasthttp

import (
	"context"
	"fmt"
	"net"
	"testing"

	"github.com/valyala/fasthttp"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// serve runs a fasthttp.Server with handler h on a loopback port for the
// rest of the test, its Serve hooked as the rule does: ServeBefore first.
// It returns the server and its "host:port".
func serve(t *testing.T, h fasthttp.RequestHandler) (*fasthttp.Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: h}
	ServeBefore(s, ln)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		_ = s.Shutdown()
		<-done
	})
	return s, ln.Addr().String()
}

// do plays the rewritten (*HostClient).Do.
func do(c *fasthttp.HostClient, req *fasthttp.Request, resp *fasthttp.Response) (err error) {
	st := DoBefore(req, resp)
	defer func() { DoAfter(st, err) }()
	return c.Do(req, resp)
}

// get sends a GET to url through a hooked HostClient to addr.
func get(t *testing.T, addr, url string) (int, error) {
	t.Helper()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(url)
	c := &fasthttp.HostClient{Addr: addr}
	t.Cleanup(c.CloseIdleConnections)
	err := do(c, req, resp)
	return resp.StatusCode(), err
}

// inRequest makes the goroutine work for a (local) server span until the
// test ends, as a handler's does, and returns the span.
func inRequest(t *testing.T) trace.Span {
	_, span := core.Start(context.Background(), "GET /users/{id}", trace.SpanKindServer)
	coretest.AttachSpan(t, span)
	return span
}

func TestServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	coretest.UseGoroutineContext(t)
	var handlerSpan trace.SpanContext
	_, addr := serve(t, func(ctx *fasthttp.RequestCtx) {
		// No context.Context here: the goroutine's carries the span.
		handlerSpan = trace.SpanContextFromContext(core.WithGoroutineParent(context.Background()))
		ctx.SetStatusCode(201)
	})

	code, _ := coretest.Get(t, "http://"+addr+"/users/7?q=1", "traceparent", coretest.Traceparent, "User-Agent", "test-agent/1.0")
	if code != 201 {
		t.Fatalf("status %d", code)
	}
	s := coretest.WaitSpans(t, rec, 1)[0]
	if s.Name() != "GET" || s.SpanKind() != trace.SpanKindServer || s.Status().Code != codes.Unset {
		t.Errorf("span %q kind %v status %v", s.Name(), s.SpanKind(), s.Status())
	}
	coretest.CheckRemoteParent(t, s)
	if !handlerSpan.Equal(s.SpanContext()) {
		t.Error("the handler's goroutine does not carry the server span")
	}
	host, port := coretest.HostPort(t, addr)
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"url.path":                  "/users/7",
		"server.address":            host,
		"server.port":               port,
		"network.peer.address":      "127.0.0.1",
		"user_agent.original":       "test-agent/1.0",
		"http.response.status_code": int64(201),
		"http.route":                nil,
		"error.type":                nil,
	})
	points, _ := coretest.Histogram(t, reader, "http.server.request.duration")
	if len(points) != 1 || points[0].Count != 1 {
		t.Fatalf("duration points %v", points)
	}
	// Bounded attributes only: not the path nor the peer.
	coretest.CheckAttrs(t, "duration", coretest.SetAttrs(points[0].Attributes), map[string]any{
		"http.request.method": "GET", "url.scheme": "http", "http.response.status_code": int64(201), "url.path": nil, "network.peer.address": nil,
	})
}

func TestRouteNamesServerSpanAndFirstWins(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	_, addr := serve(t, func(ctx *fasthttp.RequestCtx) {
		// A router reports innermost first: the handler's route, then a
		// middleware's.
		SetRoute(ctx, "/users/:id")
		SetRoute(ctx, "/")
	})
	for _, p := range []string{"/users/1", "/users/2"} {
		if code, _ := coretest.Get(t, "http://"+addr+p); code != 200 {
			t.Fatalf("status %d", code)
		}
	}
	spans := coretest.WaitSpans(t, rec, 2)
	for _, s := range spans {
		if s.Name() != "GET /users/{id}" {
			t.Errorf("span %q", s.Name())
		}
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"http.route": "/users/{id}"})
	}
	points, _ := coretest.Histogram(t, reader, "http.server.request.duration")
	if len(points) != 1 || points[0].Count != 2 || coretest.SetAttrs(points[0].Attributes)["http.route"] != "/users/{id}" {
		t.Errorf("duration points %v, want one series for both ids", points)
	}
	SetRoute(&fasthttp.RequestCtx{}, "/x") // a request no span follows: ignored
	SetRoute(nil, "/x")
}

func TestServerErrorAndPanic(t *testing.T) {
	rec := coretest.NewRecorder(t)
	s, addr := serve(t, func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) == "/panic" {
			panic("boom")
		}
		ctx.SetStatusCode(503)
	})
	if code, _ := coretest.Get(t, "http://"+addr+"/fail"); code != 503 {
		t.Fatalf("status %d", code)
	}
	fail := coretest.WaitSpans(t, rec, 1)[0]
	if fail.Status().Code != codes.Error {
		t.Errorf("503: status %v", fail.Status())
	}
	coretest.CheckAttrs(t, fail.Name(), coretest.Attrs(fail), map[string]any{"http.response.status_code": int64(503), "error.type": "503"})

	// fasthttp does not recover a handler's panic (the process would
	// die): the wrapped handler is called directly, as Serve would.
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	req.SetRequestURI("http://example.com/panic")
	ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}, nil)
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the handler's panic passed on", p)
			}
		}()
		s.Handler(&ctx)
	}()
	spans := rec.Ended()
	if len(spans) != 2 {
		t.Fatalf("spans %v", coretest.SpanNames(spans))
	}
	p := spans[1]
	if p.Status().Code != codes.Error || fmt.Sprint(coretest.ExceptionMessages(p)) != "[boom]" {
		t.Errorf("panic: status %v exceptions %v", p.Status(), coretest.ExceptionMessages(p))
	}
	coretest.CheckAttrs(t, p.Name(), coretest.Attrs(p), map[string]any{"http.response.status_code": nil, "error.type": "string"})
}

func TestServeWrapsTheHandlerOnce(t *testing.T) {
	rec := coretest.NewRecorder(t)
	calls := 0
	s := &fasthttp.Server{Handler: func(*fasthttp.RequestCtx) { calls++ }}
	ServeBefore(s, nil)
	ServeBefore(s, nil) // Serve again, after a Shutdown
	var ctx fasthttp.RequestCtx
	s.Handler(&ctx)
	if calls != 1 || len(rec.Ended()) != 1 {
		t.Errorf("%d calls, spans %v; want one of each", calls, coretest.SpanNames(rec.Ended()))
	}
	ServeBefore(nil, nil)
	ServeBefore(&fasthttp.Server{}, nil) // no handler: nothing to wrap
}

func TestServerWhenDisabled(t *testing.T) {
	rec := coretest.NewRecorder(t)
	s := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(202) }}
	ServeBefore(s, nil)
	coretest.Disable(t)
	var ctx fasthttp.RequestCtx
	s.Handler(&ctx)
	if ctx.Response.StatusCode() != 202 || len(rec.Ended()) != 0 {
		t.Errorf("status %d, spans %v", ctx.Response.StatusCode(), coretest.SpanNames(rec.Ended()))
	}
}

func TestClientSpanContinuesInTheServer(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	_, addr := serve(t, func(ctx *fasthttp.RequestCtx) { ctx.WriteString("7") })
	request := inRequest(t)

	// No context is passed: the goroutine's parents the client span.
	code, err := get(t, addr, "http://"+addr+"/stock?secret=1")
	if err != nil || code != 200 {
		t.Fatalf("status %d, %v", code, err)
	}
	spans := coretest.WaitSpans(t, rec, 2)
	client := coretest.FindSpan(t, spans, "GET", trace.SpanKindClient)
	backend := coretest.FindSpan(t, spans, "GET", trace.SpanKindServer)
	if client.Parent().SpanID() != request.SpanContext().SpanID() || client.SpanContext().TraceID() != request.SpanContext().TraceID() {
		t.Error("the client span is not a child of the goroutine's span")
	}
	if backend.Parent().SpanID() != client.SpanContext().SpanID() || !backend.Parent().IsRemote() || backend.SpanContext().TraceID() != client.SpanContext().TraceID() {
		t.Error("the server did not continue the client's trace from the headers")
	}
	host, port := coretest.HostPort(t, addr)
	coretest.CheckAttrs(t, client.Name(), coretest.Attrs(client), map[string]any{
		"http.request.method":       "GET",
		"url.full":                  "http://" + addr + "/stock", // without the query
		"server.address":            host,
		"server.port":               port,
		"http.response.status_code": int64(200),
		"error.type":                nil,
	})
	if client.Status().Code != codes.Unset {
		t.Errorf("client status %v", client.Status())
	}
	points, _ := coretest.Histogram(t, reader, "http.client.request.duration")
	if len(points) != 1 || points[0].Count != 1 {
		t.Fatalf("client duration points %v", points)
	}
	coretest.CheckAttrs(t, "client duration", coretest.SetAttrs(points[0].Attributes), map[string]any{
		"http.request.method": "GET", "server.address": host, "http.response.status_code": int64(200), "url.full": nil,
	})
}

func TestClientErrors(t *testing.T) {
	rec := coretest.NewRecorder(t)
	_, addr := serve(t, func(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(404) })

	// No goroutine context: root spans.
	if code, err := get(t, addr, "http://"+addr+"/missing"); err != nil || code != 404 {
		t.Fatalf("status %d, %v", code, err)
	}
	closed := coretest.ClosedAddr(t)
	if _, err := get(t, closed, "http://"+closed+"/"); err == nil {
		t.Fatal("a request to a closed port succeeded")
	}

	spans := coretest.WaitSpans(t, rec, 3)
	clients := coretest.SpansOfKind(spans, trace.SpanKindClient)
	if len(clients) != 2 {
		t.Fatalf("client spans %v", coretest.SpanNames(clients))
	}
	notFound, refused := clients[0], clients[1]
	if notFound.Status().Code != codes.Error || notFound.Parent().IsValid() {
		t.Errorf("404: status %v parent %v", notFound.Status(), notFound.Parent())
	}
	coretest.CheckAttrs(t, "404", coretest.Attrs(notFound), map[string]any{"http.response.status_code": int64(404), "error.type": "404"})
	if refused.Status().Code != codes.Error || len(coretest.ExceptionMessages(refused)) != 1 {
		t.Errorf("refused: status %v exceptions %v", refused.Status(), coretest.ExceptionMessages(refused))
	}
	coretest.CheckAttrs(t, "refused", coretest.Attrs(refused), map[string]any{"http.response.status_code": nil})
	if _, ok := coretest.Attrs(refused)["error.type"]; !ok {
		t.Error("refused: no error.type")
	}
}

func TestClientWhenDisabled(t *testing.T) {
	coretest.Disable(t)
	var req fasthttp.Request
	if st := DoBefore(&req, nil); st != nil || len(req.Header.Peek("traceparent")) != 0 {
		t.Fatal("DoBefore acted while disabled")
	}
	DoAfter(nil, nil)
}
