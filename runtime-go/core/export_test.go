package core

import sdktrace "go.opentelemetry.io/otel/sdk/trace"

// WrapExporter exposes the exporter wrapper to the external tests.
func WrapExporter(e startable) sdktrace.SpanExporter { return wrapExporter(e) }
