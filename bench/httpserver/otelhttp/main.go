// Command otelhttp is the benchmark's hand-instrumented variant: the same
// shop handler as ../main.go, wrapped in otelhttp.NewHandler, with the OTel
// SDK set up as rulec's runtime (runtime-go/core) sets it up: the same
// resource detectors, parent-based always-on sampling (or OTEL_TRACES_SAMPLER),
// a batch span processor (OTEL_BSP_* from the environment) over the OTLP/HTTP
// trace exporter, a periodic reader over the OTLP/HTTP metric exporter with
// the Go runtime metrics, and the tracecontext and baggage propagators.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	runtimemetrics "go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"

	"example.com/shop/orders"
)

func main() {
	ctx := context.Background()
	res := newResource(ctx)

	spans, err := otlptracehttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sampler()),
		sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(spans)))
	metrics, err := otlpmetrichttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metrics)),
		sdkmetric.WithResource(res))
	if err := runtimemetrics.Start(runtimemetrics.WithMeterProvider(mp)); err != nil {
		log.Fatal(err)
	}
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	addr := os.Getenv("BENCH_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8081"
	}
	srv := &http.Server{Addr: addr, Handler: otelhttp.NewHandler(orders.Handler(), "shop")}
	go func() {
		// Flush on SIGINT/SIGTERM, as rulec's runtime does.
		stop, cancel := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer cancel()
		<-stop.Done()
		flush, done := context.WithTimeout(ctx, 5*time.Second)
		defer done()
		_ = tp.Shutdown(flush)
		_ = mp.Shutdown(flush)
		os.Exit(0)
	}()
	log.Printf("listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}

// newResource uses the detectors rulec's runtime uses (core/resource.go).
func newResource(ctx context.Context) *resource.Resource {
	res, err := resource.New(ctx,
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithOSType(),
		resource.WithProcessPID(),
		resource.WithProcessExecutableName(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithAttributes(semconv.ServiceInstanceID(uuid.NewString())),
		resource.WithFromEnv(),
	)
	if err != nil {
		log.Printf("resource: %v", err)
	}
	merged, err := resource.Merge(resource.Default(), res)
	if err != nil {
		return res
	}
	return merged
}

// sampler is parent-based always-on unless OTEL_TRACES_SAMPLER says
// otherwise (the SDK's own reading of the variable, as rulec's default).
func sampler() sdktrace.Sampler {
	if os.Getenv("OTEL_TRACES_SAMPLER") == "always_on" {
		return sdktrace.AlwaysSample()
	}
	return sdktrace.ParentBased(sdktrace.AlwaysSample())
}
