package nethttp

import (
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"rulec.dev/runtime/core/coretest"
)

// The helpers below call the hooks the way the rewritten net/http does:
// before hook with pointers to the target's parameters, after hook deferred.

// hookedServer plays serverHandler.ServeHTTP.
func hookedServer(h http.Handler) http.Handler {
	return coretest.HookedServer(h, ServerBefore, ServerAfter)
}

// hookedMux plays (*ServeMux).ServeHTTP.
func hookedMux(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := MuxBefore(w, r)
		defer MuxAfter(st)
		mux.ServeHTTP(w, r)
	})
}

// hookedTransport plays (*Transport).RoundTrip.
type hookedTransport struct{ t *http.Transport }

func (h hookedTransport) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	st := ClientBefore(h.t, &r)
	defer func() { ClientAfter(st, resp, err) }()
	return h.t.RoundTrip(r)
}

func newTransport(t *testing.T) *http.Transport {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func onlySpan(t *testing.T, spans []sdktrace.ReadOnlySpan) sdktrace.ReadOnlySpan {
	t.Helper()
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want 1", len(spans))
	}
	return spans[0]
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// wantAttrs checks the listed attributes; a nil want value means "absent".
func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want map[string]any) {
	t.Helper()
	got := attrs(s)
	for k, w := range want {
		v, ok := got[attribute.Key(k)]
		switch {
		case w == nil && ok:
			t.Errorf("%s: %s = %v, want absent", s.Name(), k, v.Emit())
		case w != nil && (!ok || v.AsInterface() != w):
			t.Errorf("%s: %s = %v (present %v), want %v", s.Name(), k, v.AsInterface(), ok, w)
		}
	}
}
