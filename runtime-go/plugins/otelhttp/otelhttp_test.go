package otelhttp

import (
	"net/http"
	"testing"

	contrib "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// newHandler plays the rewritten otelhttp.NewHandler: its before hook gets
// a pointer to the variadic options.
func newHandler(h http.Handler, operation string, opts ...contrib.Option) http.Handler {
	NewHandlerBefore(h, operation, &opts)
	return contrib.NewHandler(h, operation, opts...)
}

// newTransport plays the rewritten otelhttp.NewTransport.
func newTransport(base http.RoundTripper, opts ...contrib.Option) *contrib.Transport {
	NewTransportBefore(base, &opts)
	return contrib.NewTransport(base, opts...)
}

// appRecorder is the tracer provider the application gives otelhttp, apart
// from rulec's, and what it records.
func appRecorder(t *testing.T) (contrib.Option, *tracetest.SpanRecorder) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	return contrib.WithTracerProvider(tp), rec
}

func ok(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }

func TestHandlerStepsAsideForRulecsServerSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	provider, appRec := appRecorder(t)
	var handlerSpan trace.SpanContext
	h := newHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlerSpan = trace.SpanContextFromContext(r.Context())
		ok(w, r)
	}), "orders", provider)
	url := coretest.Serve(t, coretest.HookedServer(h, nethttp.ServerBefore, nethttp.ServerAfter))

	if code, _ := coretest.Get(t, url+"/orders", "traceparent", coretest.Traceparent); code != 204 {
		t.Fatalf("status %d", code)
	}
	spans := coretest.WaitSpans(t, rec, 1)
	server := coretest.FindSpan(t, spans, "GET", trace.SpanKindServer)
	coretest.CheckRemoteParent(t, server)
	if n := len(appRec.Ended()); n != 0 {
		t.Errorf("otelhttp made %d spans of a request rulec serves", n)
	}
	if !handlerSpan.Equal(server.SpanContext()) {
		t.Error("the handler's context does not carry rulec's server span")
	}
}

func TestHandlerTracesWhatRulecDoesNotServe(t *testing.T) {
	rec := coretest.NewRecorder(t)
	provider, appRec := appRecorder(t)
	url := coretest.Serve(t, newHandler(http.HandlerFunc(ok), "orders", provider)) // no nethttp hooks

	if code, _ := coretest.Get(t, url+"/orders"); code != 204 {
		t.Fatalf("status %d", code)
	}
	spans := coretest.WaitSpans(t, appRec, 1)
	if spans[0].Name() != "orders" || spans[0].SpanKind() != trace.SpanKindServer {
		t.Errorf("otelhttp span %q kind %v", spans[0].Name(), spans[0].SpanKind())
	}
	if len(rec.Ended()) != 0 {
		t.Errorf("rulec spans %v", coretest.SpanNames(rec.Ended()))
	}
}

func TestApplicationsFilterStillApplies(t *testing.T) {
	coretest.NewRecorder(t)
	provider, appRec := appRecorder(t)
	skipHealth := contrib.WithFilter(func(r *http.Request) bool { return r.URL.Path != "/healthz" })
	traced := map[string]bool{}
	h := newHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		traced[r.URL.Path] = trace.SpanContextFromContext(r.Context()).IsValid()
	}), "app", provider, skipHealth)
	url := coretest.Serve(t, h)

	coretest.Get(t, url+"/healthz")
	coretest.Get(t, url+"/orders")
	if n := len(appRec.Ended()); n != 1 || traced["/healthz"] || !traced["/orders"] {
		t.Errorf("%d otelhttp spans; traced %v, want /orders only", n, traced)
	}
}

func TestTransportStepsAsideForRulecsClientSpans(t *testing.T) {
	url := coretest.Serve(t, http.HandlerFunc(ok))
	send := func(t *testing.T, rt http.RoundTripper) {
		t.Helper()
		resp, err := (&http.Client{Transport: rt}).Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	custom := roundTripper(func(r *http.Request) (*http.Response, error) { return http.DefaultTransport.RoundTrip(r) })
	tests := []struct {
		name     string
		base     http.RoundTripper
		disabled bool
		want     int
	}{
		{"net/http's Transport, which rulec traces", &http.Transport{}, false, 0},
		{"the default transport", nil, false, 0},
		{"rulec off: otelhttp traces", &http.Transport{}, true, 1},
		{"a transport that is not net/http's", custom, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			coretest.NewRecorder(t)
			if tt.disabled {
				coretest.Disable(t)
			}
			provider, appRec := appRecorder(t)
			send(t, newTransport(tt.base, provider))
			spans := appRec.Ended()
			if len(spans) != tt.want {
				t.Fatalf("otelhttp made %d spans, want %d", len(spans), tt.want)
			}
			if tt.want == 1 && spans[0].SpanKind() != trace.SpanKindClient {
				t.Errorf("otelhttp span kind %v", spans[0].SpanKind())
			}
		})
	}
}

func TestHooksLeaveTheCallersOptionsAlone(t *testing.T) {
	coretest.NewRecorder(t)
	provider, _ := appRecorder(t)
	backing := make([]contrib.Option, 1, 2)
	backing[0] = provider
	opts := backing[:1]
	NewHandlerBefore(http.HandlerFunc(ok), "op", &opts)
	if len(opts) != 2 || backing[:2][1] != nil {
		t.Errorf("%d options; the caller's spare room holds %v, want untouched", len(opts), backing[:2][1])
	}
	opts = backing[:1]
	NewTransportBefore(nil, &opts)
	if len(opts) != 2 || backing[:2][1] != nil {
		t.Errorf("%d options; the caller's spare room holds %v, want untouched", len(opts), backing[:2][1])
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
