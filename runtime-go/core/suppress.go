package core

import "context"

type suppressKey struct{}

// Suppress marks ctx so that no rulec plugin traces work done under it. The
// runtime's own exporters run under it: tracing their requests would feed
// spans back into the exporter forever.
func Suppress(ctx context.Context) context.Context {
	if Suppressed(ctx) {
		return ctx
	}
	return context.WithValue(ctx, suppressKey{}, true)
}

// Suppressed reports whether ctx carries the Suppress marker. Every client
// plugin checks it before starting a span.
func Suppressed(ctx context.Context) bool {
	if ctx == nil {
		return false
	}
	v, _ := ctx.Value(suppressKey{}).(bool)
	return v
}
