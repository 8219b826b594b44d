package core

import (
	"context"
	"errors"
	"os"

	runtimemetrics "go.opentelemetry.io/contrib/instrumentation/runtime"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	"rulec.dev/runtime/semconv"
)

// newMeterProvider builds the SDK meter provider with the readers cfg names,
// or returns nil when there are none (OTEL_METRICS_EXPORTER=none). No reader
// touches the network before its first export.
func newMeterProvider(cfg config, res *resource.Resource) *sdkmetric.MeterProvider {
	var opts []sdkmetric.Option
	exporters := cfg.metrics.exporters
	if contains(exporters, "prometheus") && prometheusReader == nil {
		notLinked("OTEL_METRICS_EXPORTER=prometheus", "Prometheus", "prometheus", "exporting metrics over OTLP instead")
		exporters = append([]string{"otlp"}, exporters...)
	}
	seen := map[string]bool{}
	for _, name := range exporters {
		var (
			reader sdkmetric.Reader
			err    error
		)
		switch {
		case seen[name]:
			continue
		case name == "otlp":
			reader, err = newOTLPMetricReader(cfg)
		case name == "prometheus" && prometheusReader != nil:
			reader, err = prometheusReader(cfg.prometheusAddr)
		default:
			continue
		}
		seen[name] = true
		if err != nil {
			Logf("metrics exporter %s: %v", name, err)
			continue
		}
		opts = append(opts, sdkmetric.WithReader(reader))
	}
	if len(opts) == 0 {
		return nil
	}
	mp := sdkmetric.NewMeterProvider(append(opts, sdkmetric.WithResource(res), sdkmetric.WithView(bucketView))...)
	startInstanceMetrics(mp)
	return mp
}

// newOTLPMetricReader exports over OTLP/HTTP with rulec's own exporter, or
// over gRPC with the SDK's when the otlp-grpc exporter module is linked.
func newOTLPMetricReader(cfg config) (sdkmetric.Reader, error) {
	if cfg.metrics.protocol == protoGRPC {
		if grpcMetricExporter != nil {
			exp, err := grpcMetricExporter(context.Background(), defaultEndpoint("METRICS"))
			if err != nil {
				return nil, err
			}
			return sdkmetric.NewPeriodicReader(quietMetricExporter{exp},
				sdkmetric.WithInterval(cfg.metricInterval), sdkmetric.WithTimeout(cfg.metricTimeout)), nil
		}
		notLinked("OTEL_EXPORTER_OTLP_PROTOCOL=grpc", "gRPC", "otlp-grpc", "exporting over http/protobuf instead")
	}
	exp, err := newHTTPMetricExporter(os.Getenv)
	if err != nil {
		return nil, err
	}
	return newPushReader(exp, cfg.metricInterval, cfg.metricTimeout), nil
}

// quietMetricExporter runs every export under Suppress, so that rulec's own
// net/http and gRPC hooks never trace the export traffic.
type quietMetricExporter struct{ sdkmetric.Exporter }

func (e quietMetricExporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	return e.Exporter.Export(Suppress(ctx), rm)
}

func (e quietMetricExporter) ForceFlush(ctx context.Context) error {
	return e.Exporter.ForceFlush(Suppress(ctx))
}

func (e quietMetricExporter) Shutdown(ctx context.Context) error {
	return e.Exporter.Shutdown(Suppress(ctx))
}

// runtimeMeter is the meter of every metric rulec records. Prometheus
// rejects one scope registered twice with different schema URLs, so it is
// made in this one place.
func runtimeMeter(mp metric.MeterProvider) metric.Meter {
	return mp.Meter(ScopeName, metric.WithInstrumentationVersion(Version), metric.WithSchemaURL(semconv.SchemaURL))
}

// startInstanceMetrics registers what an APM's instance view shows: the Go
// runtime's goroutines, GC and heap, and rulec's own health.
func startInstanceMetrics(mp metric.MeterProvider) {
	err := runtimemetrics.Start(runtimemetrics.WithMeterProvider(mp))
	err = errors.Join(err, registerSelfMetrics(runtimeMeter(mp)))
	if err != nil {
		Logf("instance metrics: %v", err)
	}
}

// registerSelfMetrics reports the runtime's own failures, so an operator sees
// a broken hook without reading the application's stderr.
func registerSelfMetrics(m metric.Meter) error {
	_, err := m.Int64ObservableCounter("rulec.hook.panics",
		metric.WithUnit("{panic}"),
		metric.WithDescription("Panics raised inside rulec hooks, recovered before they reached the application."),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			o.Observe(int64(hookPanics.Load()))
			return nil
		}))
	return err
}
