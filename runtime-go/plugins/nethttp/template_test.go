package nethttp

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"rulec.dev/runtime/core/coretest"
)

// TestClientSpanNamedByURLTemplate: a client library that knows the
// template of the URL it requests names the CLIENT span by it.
func TestClientSpanNamedByURLTemplate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	rec := coretest.NewRecorder(t)
	ctx := WithURLTemplate(context.Background(), "/users/{id}")
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/users/7", nil)
	resp, err := (&http.Client{Transport: hookedTransport{newTransport(t)}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	s := onlySpan(t, rec.Ended())
	if s.Name() != "GET /users/{id}" {
		t.Errorf("client span %q, want GET /users/{id}", s.Name())
	}
	wantAttrs(t, s, map[string]any{"url.template": "/users/{id}", "url.full": srv.URL + "/users/7"})
}
