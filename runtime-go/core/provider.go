package core

import (
	"os"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"rulec.dev/runtime/semconv"
)

// state is what hooks need on their hot path, swapped atomically so that
// reading it costs one load.
type state struct {
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
	mp     *sdkmetric.MeterProvider // nil when no metrics are exported
	meter  metric.Meter
}

// current is nil when the SDK is disabled: every hook then returns at once.
var current atomic.Pointer[state]

// NewNoopTracerProvider, not trace/noop: that package came with OTel v1.20,
// after the runtime's floor.
var noopTracer = trace.NewNoopTracerProvider().Tracer(ScopeName)

func newState(tp *sdktrace.TracerProvider, mp *sdkmetric.MeterProvider) *state {
	s := &state{
		tp: tp,
		tracer: tp.Tracer(ScopeName,
			trace.WithInstrumentationVersion(Version),
			trace.WithSchemaURL(semconv.SchemaURL)),
		mp:    mp,
		meter: metricnoop.Meter{},
	}
	if mp != nil {
		s.meter = runtimeMeter(mp)
	}
	return s
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

// install makes tp and mp the runtime's providers and the global ones, so
// spans made by application code through the OTel API nest under rulec's
// spans and its metrics leave through the same exporters.
func install(tp *sdktrace.TracerProvider, mp *sdkmetric.MeterProvider) {
	current.Store(newState(tp, mp))
	otel.SetTracerProvider(tp)
	if mp != nil {
		otel.SetMeterProvider(mp)
	}
	otel.SetTextMapPropagator(defaultPropagator())
}
