package core

import (
	"context"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

func TestPropagatorsFromEnvInjectEveryFormat(t *testing.T) {
	p := propagatorsFromEnv(envOf(map[string]string{"OTEL_PROPAGATORS": "tracecontext, b3, b3multi, jaeger, eagleeye, bogus"}))
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, SpanID: trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8},
		TraceFlags: trace.FlagsSampled,
	})
	h := http.Header{}
	p.Inject(trace.ContextWithSpanContext(context.Background(), sc), propagation.HeaderCarrier(h))
	for _, name := range []string{"Traceparent", "B3", "X-B3-Traceid", "Uber-Trace-Id", "Eagleeye-Traceid", "Eagleeye-Rpcid", "Eagleeye-Sampled"} {
		if h.Get(name) == "" {
			t.Errorf("header %s not injected: %v", name, h)
		}
	}
	if got := h.Get("EagleEye-TraceId"); got != sc.TraceID().String() {
		t.Errorf("EagleEye-TraceId = %q", got)
	}
}

func TestEachFormatIsExtracted(t *testing.T) {
	p := propagatorsFromEnv(envOf(map[string]string{"OTEL_PROPAGATORS": "tracecontext,b3multi,jaeger,eagleeye"}))
	cases := map[string]http.Header{
		"b3":     {"X-B3-Traceid": {"463ac35c9f6413ad48485a3953bb6124"}, "X-B3-Spanid": {"a2fb4a1d1a96d312"}, "X-B3-Sampled": {"1"}},
		"jaeger": {"Uber-Trace-Id": {"463ac35c9f6413ad48485a3953bb6124:a2fb4a1d1a96d312:0:1"}},
	}
	for name, h := range cases {
		sc := trace.SpanContextFromContext(p.Extract(context.Background(), propagation.HeaderCarrier(h)))
		if sc.TraceID().String() != "463ac35c9f6413ad48485a3953bb6124" || sc.SpanID().String() != "a2fb4a1d1a96d312" || !sc.IsRemote() {
			t.Errorf("%s: extracted %v", name, sc)
		}
	}
}

func TestEagleEyeRoundTrip(t *testing.T) {
	in := http.Header{}
	in.Set("EagleEye-TraceId", "0ad1348f1403169275002100356696")
	in.Set("EagleEye-RpcId", "0.1")
	in.Set("EagleEye-Sampled", "s1")
	ctx := EagleEye{}.Extract(context.Background(), propagation.HeaderCarrier(in))
	sc := trace.SpanContextFromContext(ctx)
	if sc.TraceID().String() != "000ad1348f1403169275002100356696" || !sc.IsSampled() || !sc.IsRemote() || !sc.SpanID().IsValid() {
		t.Fatalf("extracted %v", sc)
	}
	// A child span of the extracted one sends the original id and a child rpc id.
	child := trace.NewSpanContext(trace.SpanContextConfig{TraceID: sc.TraceID(), SpanID: trace.SpanID{9}, TraceFlags: trace.FlagsSampled})
	out := http.Header{}
	EagleEye{}.Inject(trace.ContextWithSpanContext(ctx, child), propagation.HeaderCarrier(out))
	if out.Get("EagleEye-TraceId") != "0ad1348f1403169275002100356696" || out.Get("EagleEye-RpcId") != "0.1.1" || out.Get("EagleEye-Sampled") != "s1" {
		t.Errorf("injected %v", out)
	}
	// Ids that are not hex map by hash, the same everywhere; s0 is not sampled.
	in.Set("EagleEye-TraceId", "not-hex-id")
	in.Set("EagleEye-Sampled", "s0")
	a := trace.SpanContextFromContext(EagleEye{}.Extract(context.Background(), propagation.HeaderCarrier(in)))
	b := trace.SpanContextFromContext(EagleEye{}.Extract(context.Background(), propagation.HeaderCarrier(in)))
	if !a.TraceID().IsValid() || a.TraceID() != b.TraceID() || a.IsSampled() {
		t.Errorf("hashed id: %v %v", a, b)
	}
}
