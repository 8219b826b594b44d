package core

import (
	"context"
	"errors"
	"os"
	"sync"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

var errExporterClosed = errors.New("rulec: exporter shut down")

// Exporters that a build links on demand (docs/configuration.md): rulec
// links the OTLP/gRPC exporter into applications that already use gRPC and
// the Prometheus one into those that use the Prometheus client, or where
// rulec.toml asks; their packages (rulec.dev/runtime/exporters/...) register
// here at init. Others export over OTLP/HTTP, which is always linked.
var (
	grpcSpanExporter   func(plain bool) StartableExporter
	grpcMetricExporter func(ctx context.Context, plain bool) (sdkmetric.Exporter, error)
	prometheusReader   func(addr string) (sdkmetric.Reader, error)
)

// StartableExporter is a span exporter started before its first export,
// like the OTel SDK's unstarted OTLP exporters.
type StartableExporter interface {
	sdktrace.SpanExporter
	Start(ctx context.Context) error
}

// RegisterGRPCExporters makes OTEL_EXPORTER_OTLP_PROTOCOL=grpc available;
// `plain` asks for no TLS (no endpoint configured: localhost).
func RegisterGRPCExporters(spans func(plain bool) StartableExporter, metrics func(ctx context.Context, plain bool) (sdkmetric.Exporter, error)) {
	grpcSpanExporter, grpcMetricExporter = spans, metrics
}

// RegisterPrometheusReader makes OTEL_METRICS_EXPORTER=prometheus available.
func RegisterPrometheusReader(reader func(addr string) (sdkmetric.Reader, error)) {
	prometheusReader = reader
}

var missingOnce sync.Map

// notLinked says once per exporter that this binary lacks it, and which
// rulec.toml setting links it.
func notLinked(variable, exporter, setting, instead string) {
	if _, said := missingOnce.LoadOrStore(exporter, true); said {
		return
	}
	Logf("%s: this binary has no %s exporter (rulec links it into applications that use %s, or with "+
		"`exporters = [%q]` under [runtime] in rulec.toml); %s", variable, exporter, exporter, setting, instead)
}

// newExporters builds the exporters named by cfg. None of them touches the
// network before its first export.
func newExporters(cfg config) []sdktrace.SpanExporter {
	var out []sdktrace.SpanExporter
	for _, name := range cfg.traces.exporters {
		switch name {
		case "otlp":
			if cfg.traces.protocol == protoGRPC {
				if grpcSpanExporter != nil {
					out = append(out, wrapExporter(grpcSpanExporter(defaultEndpoint("TRACES"))))
					continue
				}
				notLinked("OTEL_EXPORTER_OTLP_PROTOCOL=grpc", "gRPC", "otlp-grpc", "exporting over http/protobuf instead")
			}
			exp, err := newHTTPSpanExporter(os.Getenv)
			if err != nil {
				Logf("trace exporter: %v", err)
				continue
			}
			out = append(out, wrapExporter(exp))
		case "console":
			out = append(out, &consoleExporter{w: os.Stderr})
		}
	}
	return out
}

// defaultEndpoint reports whether no OTLP endpoint is configured for signal
// ("TRACES" or "METRICS"). The specification's default is then plain http on
// localhost, where the Go gRPC exporters would otherwise default to TLS.
func defaultEndpoint(signal string) bool {
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_"+signal+"_ENDPOINT") == ""
}

// quietExporter starts its inner exporter lazily on the first export (so a
// gRPC dial never happens at init) and runs every export under Suppress, so
// that rulec's own net/http or gRPC hooks never trace the export traffic.
type quietExporter struct {
	inner   StartableExporter
	once    sync.Once
	err     error // start failure, or errExporterClosed
	started bool
}

func wrapExporter(inner StartableExporter) *quietExporter { return &quietExporter{inner: inner} }

func (e *quietExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	ctx = Suppress(ctx)
	e.once.Do(func() {
		e.err = e.inner.Start(ctx)
		e.started = e.err == nil
	})
	if e.err != nil {
		return e.err
	}
	return e.inner.ExportSpans(ctx, spans)
}

func (e *quietExporter) Shutdown(ctx context.Context) error {
	// Claiming the once here stops a later export from starting the exporter.
	e.once.Do(func() { e.err = errExporterClosed })
	if !e.started {
		return nil
	}
	return e.inner.Shutdown(Suppress(ctx))
}
