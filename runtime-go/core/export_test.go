package core

import (
	"net/http"
	"net/url"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// WrapExporter exposes the exporter wrapper to the external tests.
func WrapExporter(e StartableExporter) sdktrace.SpanExporter { return wrapExporter(e) }

// HTTPSpanExporter is the runtime's OTLP/HTTP exporter, wrapped, sending to
// the OTLP endpoint base; every request it sends goes through proxy first.
func HTTPSpanExporter(base string, proxy func(*http.Request) (*url.URL, error)) sdktrace.SpanExporter {
	e, err := newHTTPSpanExporter(func(k string) string {
		if k == "OTEL_EXPORTER_OTLP_ENDPOINT" {
			return base
		}
		return ""
	})
	if err != nil {
		panic(err)
	}
	e.client.Transport.(*http.Transport).Proxy = proxy
	return wrapExporter(e)
}
