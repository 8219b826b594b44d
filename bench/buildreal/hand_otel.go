// Hand instrumentation of the benchmarked service, for the binary-size row:
// what a developer adds to link the same capabilities rulec links (the OTel
// SDK with OTLP http and gRPC exporters for traces and metrics, Prometheus
// metrics, runtime metrics, W3C/B3/Jaeger propagation, HTTP server and client
// spans, database/sql and go-redis spans). bench/build_real.sh copies it into
// the main package of a copy of the module and `go get`s what it imports.

package main

import (
	"context"
	"database/sql/driver"
	"net/http"
	"os"

	"github.com/XSAM/otelsql"
	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/contrib/propagators/jaeger"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Hooks the service's own code would call where it opens databases, creates
// redis clients and serves HTTP.
var (
	HandWrapDriver = func(d driver.Driver) driver.Driver { return otelsql.WrapDriver(d) }
	HandRedis      = func(c redis.UniversalClient) error { return redisotel.InstrumentTracing(c) }
	HandHandler    = func(h http.Handler) http.Handler { return otelhttp.NewHandler(h, "server") }
)

func init() {
	if os.Getenv("OTEL_SDK_DISABLED") == "true" {
		return
	}
	ctx := context.Background()
	res, _ := resource.New(ctx, resource.WithFromEnv(), resource.WithTelemetrySDK())
	var spans sdktrace.SpanExporter
	var reader sdkmetric.Reader
	switch os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL") {
	case "grpc":
		spans, _ = otlptracegrpc.New(ctx)
		if m, err := otlpmetricgrpc.New(ctx); err == nil {
			reader = sdkmetric.NewPeriodicReader(m)
		}
	default:
		spans, _ = otlptracehttp.New(ctx)
		if m, err := otlpmetrichttp.New(ctx); err == nil {
			reader = sdkmetric.NewPeriodicReader(m)
		}
	}
	if os.Getenv("OTEL_METRICS_EXPORTER") == "prometheus" {
		reader, _ = prometheus.New()
	}
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithBatcher(spans), sdktrace.WithResource(res)))
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res)))
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{}, b3.New(), jaeger.Jaeger{}))
	_ = runtime.Start()
	http.DefaultTransport = otelhttp.NewTransport(http.DefaultTransport)
}
