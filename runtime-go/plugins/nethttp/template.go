package nethttp

import "context"

type urlTemplateKey struct{}

// WithURLTemplate returns ctx carrying the template ("/users/{id}") of the
// URL a client library is about to request through net/http, for the
// libraries that know it (generated API clients). The request's CLIENT
// span is then named "GET /users/{id}" and carries url.template, as semconv
// names a client span when a template is known.
func WithURLTemplate(ctx context.Context, template string) context.Context {
	return context.WithValue(ctx, urlTemplateKey{}, template)
}

func urlTemplate(ctx context.Context) string {
	t, _ := ctx.Value(urlTemplateKey{}).(string)
	return t
}
