// Package coretest helps plugin tests record the spans and metrics rulec
// hooks create.
package coretest

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"rulec.dev/runtime/core"
)

// NewRecorder routes rulec's spans to an in-memory recorder for the rest of
// the test. Ended spans appear in rec.Ended() synchronously.
func NewRecorder(t testing.TB) *tracetest.SpanRecorder {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())),
		sdktrace.WithSpanProcessor(rec),
	)
	restore := core.UseTestProvider(tp)
	t.Cleanup(func() {
		restore()
		_ = tp.Shutdown(context.Background())
	})
	return rec
}

// Disable turns the runtime off for the rest of the test, as
// OTEL_SDK_DISABLED=true would.
func Disable(t testing.TB) {
	t.Helper()
	t.Cleanup(core.UseTestProvider(nil))
}

// NewMetricReader routes rulec's metrics to an in-memory reader for the rest
// of the test; call it after NewRecorder. Collect reads what was recorded.
func NewMetricReader(t testing.TB) sdkmetric.Reader {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	t.Cleanup(core.UseTestMetricReader(reader))
	return reader
}
