package core

import (
	"context"

	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// UseTestProvider is a test seam: it makes tp the runtime's provider, or
// disables the runtime when tp is nil, and returns a function restoring the
// previous state. Plugin tests use it through coretest.NewRecorder.
func UseTestProvider(tp *sdktrace.TracerProvider) (restore func()) {
	prevState := current.Load()
	prevProp := otel.GetTextMapPropagator()
	if tp == nil {
		current.Store(nil)
	} else {
		current.Store(newState(tp, nil))
	}
	otel.SetTextMapPropagator(defaultPropagator())
	return func() {
		current.Store(prevState)
		otel.SetTextMapPropagator(prevProp)
	}
}

// UseTestMetricReader is a test seam: it keeps the current tracer provider
// and routes the runtime's metrics to reader, through the views the runtime
// uses in production. The runtime must be enabled.
func UseTestMetricReader(reader sdkmetric.Reader) (restore func()) {
	prev := current.Load()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithView(bucketView))
	current.Store(newState(prev.tp, mp))
	return func() {
		current.Store(prev)
		_ = mp.Shutdown(context.Background())
	}
}
