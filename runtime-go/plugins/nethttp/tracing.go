package nethttp

import (
	"net/http"

	"rulec.dev/runtime/core"
)

// Whether rulec traces a request, for other plugins that would otherwise
// trace it a second time (otelhttp's handler and transport).

// pluginSwitch is the live switch of this package's plugin, named as in
// rules/net_http.gorule.
var pluginSwitch = core.PluginSwitch("nethttp")

// Serving reports whether r is being served under rulec's SERVER span.
func Serving(r *http.Request) bool {
	return r != nil && serverStateFrom(r.Context()) != nil
}

// ClientTraced reports whether a request sent now through net/http's
// Transport gets rulec's CLIENT span.
func ClientTraced() bool {
	return core.Enabled() && pluginSwitch.Load()
}
