// Package otelhttp holds rulec's hooks on the OpenTelemetry contrib otelhttp
// package (plugin "otelhttp"), for applications that already wrap their
// handlers and transports with it: rulec's net/http spans stand, and otelhttp
// steps aside for requests rulec traces, so no request gets two SERVER or
// two CLIENT spans. Where rulec does not trace a request (its nethttp plugin
// switched off, a transport that is not net/http's), otelhttp works as ever.
//
// It does so through otelhttp's own public option, WithFilter, appended to
// the options of each handler and transport the application makes.
//
// Hook signatures are an ABI contract with the rulec compiler.
package otelhttp

import (
	"net/http"

	contrib "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"rulec.dev/runtime/plugins/nethttp"
)

// NewHandlerBefore is the before hook of otelhttp.NewHandler: the handler
// makes no span for a request rulec already serves under its own.
func NewHandlerBefore(handler http.Handler, operation string, opts *[]contrib.Option) {
	appendFilter(opts, func(r *http.Request) bool { return !nethttp.Serving(r) })
}

// NewTransportBefore is the before hook of otelhttp.NewTransport: when the
// base is net/http's Transport, which rulec traces, the otelhttp transport
// makes no span while rulec's nethttp plugin is on.
func NewTransportBefore(base http.RoundTripper, opts *[]contrib.Option) {
	if base != nil {
		if _, ok := base.(*http.Transport); !ok {
			return
		}
	}
	appendFilter(opts, func(*http.Request) bool { return !nethttp.ClientTraced() })
}

func appendFilter(opts *[]contrib.Option, keep contrib.Filter) {
	o := *opts
	// A new array: the caller's may be shared, or have room past its length.
	*opts = append(o[:len(o):len(o)], contrib.WithFilter(keep))
}
