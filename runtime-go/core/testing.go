package core

import (
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

// UseTestMeterProvider is a test seam: it keeps the current tracer provider
// and makes mp the runtime's meter provider. The runtime must be enabled.
func UseTestMeterProvider(mp *sdkmetric.MeterProvider) (restore func()) {
	prev := current.Load()
	current.Store(newState(prev.tp, mp))
	return func() { current.Store(prev) }
}
