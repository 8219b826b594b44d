package core

import (
	"go.opentelemetry.io/otel"
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
		current.Store(newState(tp))
	}
	otel.SetTextMapPropagator(defaultPropagator())
	return func() {
		current.Store(prevState)
		otel.SetTextMapPropagator(prevProp)
	}
}
