package nethttp

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/codes"

	"rulec.dev/runtime/core/coretest"
)

func TestNormalizeRoute(t *testing.T) {
	cases := map[string]string{
		"/users/:id":       "/users/{id}",
		"/files/*filepath": "/files/{filepath...}",
		"/a/:x/b/:y":       "/a/{x}/b/{y}",
		"/orders/{id}":     "/orders/{id}",
		"/static/*":        "/static/*",
		"/plain":           "/plain",
		"/time/10:30":      "/time/10:30",
	}
	for in, want := range cases {
		if got := NormalizeRoute(in); got != want {
			t.Errorf("NormalizeRoute(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecordedErrorFailsOnlyA5xxSpan(t *testing.T) {
	for _, code := range []int{400, 500} {
		rec := coretest.NewRecorder(t)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			RecordError(r, errors.New("bad"))
			w.WriteHeader(code)
		})
		hookedServer(h).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
		s := onlySpan(t, rec.Ended())
		wantCode, wantType := codes.Unset, any(nil)
		if code >= 500 {
			wantCode, wantType = codes.Error, "500"
		}
		if s.Status().Code != wantCode || fmt.Sprint(coretest.ExceptionMessages(s)) != "[bad]" {
			t.Errorf("%d: status %v exceptions %v", code, s.Status(), coretest.ExceptionMessages(s))
		}
		wantAttrs(t, s, map[string]any{"error.type": wantType})
	}
	RecordError(httptest.NewRequest("GET", "/x", nil), errors.New("not served")) // no server span: ignored
}
