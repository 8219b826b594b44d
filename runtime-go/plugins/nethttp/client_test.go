package nethttp

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

func spanNamed(t *testing.T, spans []sdktrace.ReadOnlySpan, kind trace.SpanKind) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range spans {
		if s.SpanKind() == kind {
			return s
		}
	}
	t.Fatalf("no %v span among %d", kind, len(spans))
	return nil
}

// TestClientToServerPropagation sends a request through the client hooks to
// a real loopback server running the server hooks.
func TestClientToServerPropagation(t *testing.T) {
	rec := coretest.NewRecorder(t)
	var gotTraceparent string
	srv := httptest.NewServer(hookedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotTraceparent = r.Header.Get("traceparent")
		w.WriteHeader(http.StatusAccepted)
	})))
	defer srv.Close()

	ctx, parent := core.Start(context.Background(), "parent", trace.SpanKindInternal)
	u := strings.Replace(srv.URL, "http://", "http://user:secret@", 1) + "/path?q=1"
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("User-Agent", "client/2")
	resp, err := (&http.Client{Transport: hookedTransport{newTransport(t)}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	parent.End()

	if req.Header.Get("traceparent") != "" {
		t.Error("the caller's request headers were mutated")
	}
	spans := rec.Ended()
	client := spanNamed(t, spans, trace.SpanKindClient)
	server := spanNamed(t, spans, trace.SpanKindServer)
	if client.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Error("client span is not a child of the caller's span")
	}
	if server.Parent().SpanID() != client.SpanContext().SpanID() || server.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Error("server span is not a child of the client span")
	}
	want := propagation.TraceContext{}
	carrier := propagation.MapCarrier{"traceparent": gotTraceparent}
	if sc := trace.SpanContextFromContext(want.Extract(context.Background(), carrier)); sc.SpanID() != client.SpanContext().SpanID() {
		t.Errorf("server got traceparent %q, want the client span", gotTraceparent)
	}
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if client.Name() != "GET" || client.Status().Code != codes.Unset {
		t.Errorf("client span %q status %v", client.Name(), client.Status())
	}
	wantAttrs(t, client, map[string]any{
		"http.request.method":       "GET",
		"url.full":                  "http://REDACTED:REDACTED@" + host + ":" + port + "/path?q=1",
		"url.scheme":                "http",
		"server.address":            host,
		"http.response.status_code": int64(202),
		"network.protocol.version":  "1.1",
		"user_agent.original":       "client/2",
		"error.type":                nil,
	})
}

func TestClientErrorStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusNotFound)
	}))
	defer srv.Close()
	rec := coretest.NewRecorder(t)
	resp, err := (&http.Client{Transport: hookedTransport{newTransport(t)}}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s := onlySpan(t, rec.Ended())
	if s.Status().Code != codes.Error {
		t.Errorf("404 on a client: status %v, want Error", s.Status())
	}
	wantAttrs(t, s, map[string]any{"http.response.status_code": int64(404), "error.type": "404"})
}

func TestClientTransportError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	rec := coretest.NewRecorder(t)
	_, err = (&http.Client{Transport: hookedTransport{newTransport(t)}}).Get("http://" + addr + "/")
	if err == nil {
		t.Fatal("expected a dial error")
	}
	s := onlySpan(t, rec.Ended())
	if s.Status().Code != codes.Error || len(s.Events()) == 0 {
		t.Errorf("status %v, %d events", s.Status(), len(s.Events()))
	}
	wantAttrs(t, s, map[string]any{"error.type": "*net.OpError", "http.response.status_code": nil})
}

func TestClientSkipsSuppressedRequests(t *testing.T) {
	rec := coretest.NewRecorder(t)
	req, _ := http.NewRequestWithContext(core.Suppress(context.Background()), "POST", "http://127.0.0.1:4318/v1/traces", nil)
	r := req
	st := ClientBefore(nil, &r)
	ClientAfter(st, nil, nil)
	if st != nil || r != req || len(rec.Ended()) != 0 {
		t.Fatal("a suppressed request was traced")
	}
}

func TestClientHooksAreNoOpsWhenDisabled(t *testing.T) {
	coretest.Disable(t)
	req := httptest.NewRequest("GET", "http://example.com/", nil)
	r := req
	if st := ClientBefore(nil, &r); st != nil || r != req {
		t.Fatal("ClientBefore acted while disabled")
	}
	ClientAfter(nil, nil, nil)
}
