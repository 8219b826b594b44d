package coretest

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// SpansNamed is the spans called name, in the order given.
func SpansNamed(spans []sdktrace.ReadOnlySpan, name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// FindSpan is the one span called name of the given kind; the test fails
// if there is none or more than one.
func FindSpan(t testing.TB, spans []sdktrace.ReadOnlySpan, name string, kind trace.SpanKind) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	for _, s := range SpansNamed(spans, name) {
		if s.SpanKind() == kind {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %v spans named %q, want 1; spans: %v", len(found), kind, name, SpanNames(spans))
	}
	return found[0]
}

// SpanNames lists the spans' names, for messages and order checks.
func SpanNames(spans []sdktrace.ReadOnlySpan) []string {
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.Name()
	}
	return names
}

// WaitEnded polls rec until done accepts its ended spans, for spans ended on
// another goroutine (a server's), and returns them; the test fails after
// five seconds.
func WaitEnded(t testing.TB, rec *tracetest.SpanRecorder, done func([]sdktrace.ReadOnlySpan) bool) []sdktrace.ReadOnlySpan {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		spans := rec.Ended()
		if done(spans) {
			return spans
		}
		if time.Now().After(deadline) {
			t.Fatalf("spans never complete; ended: %v", SpanNames(spans))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Attrs is the span's attributes by key, each value as AsInterface gives it
// (string, int64, bool...).
func Attrs(s sdktrace.ReadOnlySpan) map[string]any {
	return attrMap(s.Attributes())
}

// CheckAttrs checks the listed attributes of a span or metric point's set;
// a nil want value means the attribute must be absent.
func CheckAttrs(t testing.TB, what string, got map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		v, ok := got[k]
		switch {
		case w == nil && ok:
			t.Errorf("%s: %s = %v, want absent", what, k, v)
		case w != nil && (!ok || v != w):
			t.Errorf("%s: %s = %#v (present %v), want %#v", what, k, v, ok, w)
		}
	}
}

// SetAttrs is an attribute set (a metric point's) by key, as Attrs.
func SetAttrs(set attribute.Set) map[string]any { return attrMap(set.ToSlice()) }

func attrMap(kvs []attribute.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// Histogram collects reader and returns the points of the float64
// histogram called name and its unit; the test fails if it is absent.
func Histogram(t testing.TB, reader sdkmetric.Reader, name string) (points []metricdata.HistogramDataPoint[float64], unit string) {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			h, ok := m.Data.(metricdata.Histogram[float64])
			if !ok {
				t.Fatalf("%s is %T, want a float64 histogram", name, m.Data)
			}
			return h.DataPoints, string(m.Unit)
		}
	}
	t.Fatalf("no metric %s", name)
	return nil, ""
}

// SpansOfKind is the spans of the given kind, in the order given.
func SpansOfKind(spans []sdktrace.ReadOnlySpan, kind trace.SpanKind) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanKind() == kind {
			out = append(out, s)
		}
	}
	return out
}
