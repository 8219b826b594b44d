package core

import (
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func init() {
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
