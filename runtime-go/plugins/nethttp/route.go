package nethttp

import (
	"net/http"
	"strings"

	"rulec.dev/runtime/core"
)

// MuxBefore is the before hook of (*ServeMux).ServeHTTP. The mux sets
// r.Pattern on this very request, so the request is all MuxAfter needs.
func MuxBefore(w http.ResponseWriter, r *http.Request) any {
	if !core.Enabled() || r == nil {
		return nil
	}
	return r
}

// MuxAfter records the matched route on the request's server span. After
// hooks of nested muxes run innermost first, so the first one set wins.
func MuxAfter(state any) {
	r, ok := state.(*http.Request)
	if !ok || r == nil {
		return
	}
	st := serverStateFrom(r.Context())
	if st == nil {
		return
	}
	if route := routeFromPattern(r.Pattern); route != "" {
		st.route.CompareAndSwap(nil, &route)
	}
}

// routeFromPattern returns the path part of a ServeMux pattern
// "[METHOD ][HOST]/[PATH]", e.g. "GET example.com/orders/{id}" ->
// "/orders/{id}". The exact-match marker "{$}" is dropped.
func routeFromPattern(p string) string {
	if i := strings.IndexAny(p, " \t"); i >= 0 {
		p = strings.TrimLeft(p[i+1:], " \t")
	}
	i := strings.IndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return strings.TrimSuffix(p[i:], "{$}")
}
