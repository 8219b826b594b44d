package core

import (
	"context"
	"errors"
	"os"
	"sync"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

var errExporterClosed = errors.New("rulec: exporter shut down")

// newExporters builds the exporters named by cfg. None of them touches the
// network before its first export. The SDK exporters read their endpoint,
// headers, TLS and timeout settings from OTEL_EXPORTER_OTLP_* themselves.
func newExporters(cfg config) []sdktrace.SpanExporter {
	var out []sdktrace.SpanExporter
	for _, name := range cfg.traces.exporters {
		switch name {
		case "otlp":
			plain := defaultEndpoint("TRACES")
			if cfg.traces.protocol == protoGRPC {
				var opts []otlptracegrpc.Option
				if plain {
					opts = append(opts, otlptracegrpc.WithInsecure())
				}
				out = append(out, wrapExporter(otlptracegrpc.NewUnstarted(opts...)))
			} else {
				var opts []otlptracehttp.Option
				if plain {
					opts = append(opts, otlptracehttp.WithInsecure())
				}
				out = append(out, wrapExporter(otlptracehttp.NewUnstarted(opts...)))
			}
		case "console":
			out = append(out, &consoleExporter{w: os.Stderr})
		}
	}
	return out
}

// defaultEndpoint reports whether no OTLP endpoint is configured for signal
// ("TRACES" or "METRICS"). The specification's default is then plain http on
// localhost, where the Go exporters would otherwise default to TLS.
func defaultEndpoint(signal string) bool {
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_"+signal+"_ENDPOINT") == ""
}

// startable is an exporter that must be started before use, like the
// unstarted OTLP exporters.
type startable interface {
	sdktrace.SpanExporter
	Start(ctx context.Context) error
}

// quietExporter starts its inner exporter lazily on the first export (so a
// gRPC dial never happens at init) and runs every export under Suppress, so
// that rulec's own net/http or gRPC hooks never trace the export traffic.
type quietExporter struct {
	inner   startable
	once    sync.Once
	err     error // start failure, or errExporterClosed
	started bool
}

func wrapExporter(inner startable) *quietExporter { return &quietExporter{inner: inner} }

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
