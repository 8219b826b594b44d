package nethttp

import (
	"net/http"
	"strings"

	"rulec.dev/runtime/core"
)

// Whether rulec traces a request, for other plugins that would otherwise
// trace it a second time (otelhttp's handler and transport).

// pluginSwitch is on while a plugin whose rules call this package is on.
var pluginSwitch = core.PackageSwitch()

// Serving reports whether r is being served under rulec's SERVER span.
func Serving(r *http.Request) bool {
	return r != nil && serverStateFrom(r.Context()) != nil
}

// ClientTraced reports whether a request sent now through net/http's
// Transport gets rulec's CLIENT span.
func ClientTraced() bool {
	return core.Enabled() && pluginSwitch.Load()
}

// SetRoute records route, a router's template for the request r is being
// served as (any syntax: "/users/:id" is written "/users/{id}"), on its
// server span. Routers nested in one another report innermost first, and
// the first route set wins, as for ServeMux patterns.
func SetRoute(r *http.Request, route string) {
	if r == nil || route == "" {
		return
	}
	if st := serverStateFrom(r.Context()); st != nil {
		route = NormalizeRoute(route)
		st.route.CompareAndSwap(nil, &route)
	}
}

// RecordError records a handler's error, as a router reports it, on the
// server span r is being served under, as an exception event. Whether the
// span failed is for the response's status to say, as for any request: a
// 4xx (a router's 404, a binding error's 400) is the client's error.
func RecordError(r *http.Request, err error) {
	if r == nil || err == nil {
		return
	}
	if st := serverStateFrom(r.Context()); st != nil {
		st.span.RecordError(err)
	}
}

// NormalizeRoute writes route parameters the way ServeMux patterns (and the
// span names of this plugin) do: ":id" becomes "{id}" and a catch-all
// "*path" becomes "{path...}".
func NormalizeRoute(route string) string {
	if !strings.ContainsAny(route, ":*") {
		return route
	}
	parts := strings.Split(route, "/")
	for i, p := range parts {
		switch {
		case len(p) > 1 && p[0] == ':':
			parts[i] = "{" + p[1:] + "}"
		case len(p) > 1 && p[0] == '*':
			parts[i] = "{" + p[1:] + "...}"
		}
	}
	return strings.Join(parts, "/")
}
