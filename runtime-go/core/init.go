package core

import (
	"os"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

var started sync.Once

// StartRuntime sets the runtime up from the environment, once. Each root package of
// an instrumented binary calls it from its init (rulec's generated file), so
// it runs once every package the binary links is initialized, the optional
// exporters among them (exporter.go); hooks that run before are no-ops.
func StartRuntime() { started.Do(start) }

func start() {
	cfg := loadConfig(os.Getenv)
	flushTimeout = cfg.flushTimeout
	if cfg.disabled {
		switchAllOff()
		return // current stays nil: every hook is a no-op
	}
	otel.SetErrorHandler(&errorHandler{})
	res := newResource()
	sampler := newLiveSampler(os.Getenv)
	install(newProvider(cfg, res, sampler), newMeterProvider(cfg, res))
	watchConfig(os.Getenv, sampler)
	watchSignals()
}

// newProvider builds the SDK provider. OTEL_BSP_* come from the environment
// via the SDK. The batch processors never block the caller: when the bounded
// queue is full, spans are dropped.
func newProvider(cfg config, res *resource.Resource, sampler sdktrace.Sampler) *sdktrace.TracerProvider {
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res), sdktrace.WithSampler(sampler)}
	for _, exp := range newExporters(cfg) {
		opts = append(opts, sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(exp)))
	}
	return sdktrace.NewTracerProvider(opts...)
}
