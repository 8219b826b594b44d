package core

import (
	"os"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// state is what hooks need on their hot path, swapped atomically so that
// reading it costs one load.
type state struct {
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
}

// current is nil when the SDK is disabled: every hook then returns at once.
var current atomic.Pointer[state]

var noopTracer = noop.NewTracerProvider().Tracer(ScopeName)

func newState(tp *sdktrace.TracerProvider) *state {
	return &state{
		tp: tp,
		tracer: tp.Tracer(ScopeName,
			trace.WithInstrumentationVersion(Version),
			trace.WithSchemaURL(semconv.SchemaURL)),
	}
}

// Enabled reports whether telemetry is on. Hooks call it first and return
// immediately when it is false.
func Enabled() bool { return current.Load() != nil }

// Tracer returns rulec's tracer, or a no-op tracer when disabled.
func Tracer() trace.Tracer {
	if s := current.Load(); s != nil {
		return s.tracer
	}
	return noopTracer
}

// Propagator returns the global propagator, so that an application that
// installs its own (e.g. B3) is honoured by rulec's hooks too.
func Propagator() propagation.TextMapPropagator {
	return otel.GetTextMapPropagator()
}

func defaultPropagator() propagation.TextMapPropagator {
	return propagatorsFromEnv(os.Getenv)
}

// install makes tp the runtime's provider and the global one, so spans made
// by application code through the OTel API nest under rulec's spans.
func install(tp *sdktrace.TracerProvider) {
	current.Store(newState(tp))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(defaultPropagator())
}
