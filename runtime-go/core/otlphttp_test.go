package core

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestEndpointsFollowTheSpecification(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{nil, "http://localhost:4318/v1/traces"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"}, "http://collector:4318/v1/traces"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://x/otlp"}, "https://x/otlp/v1/traces"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b/custom"}, "http://b/custom"},
	} {
		e, err := newOTLPHTTP(env(tc.vars), "TRACES", "/v1/traces")
		if err != nil || e.url != tc.want {
			t.Errorf("%v: got %q, %v; want %q", tc.vars, e.url, err, tc.want)
		}
	}
	if _, err := newOTLPHTTP(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317"}), "TRACES", "/v1/traces"); err == nil {
		t.Error("an endpoint without a scheme is accepted")
	}
}

func TestHeadersTimeoutAndGzip(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer srv.Close()
	e, err := newHTTPSpanExporter(env(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT":        srv.URL,
		"OTEL_EXPORTER_OTLP_HEADERS":         "api-key=generic,team=a%20b",
		"OTEL_EXPORTER_OTLP_TRACES_HEADERS":  "api-key=secret",
		"OTEL_EXPORTER_OTLP_COMPRESSION":     "gzip",
		"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT":  "1500",
		"OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "1",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if e.timeout != 1500*time.Millisecond {
		t.Errorf("timeout %v", e.timeout)
	}
	if err := e.ExportSpans(context.Background(), tracetest.SpanStubs{{Name: "s"}}.Snapshots()); err != nil {
		t.Fatal(err)
	}
	// The signal's own variable replaces the generic one as a whole.
	if got.Get("Api-Key") != "secret" || got.Get("Team") != "" || got.Get("Content-Encoding") != "gzip" ||
		got.Get("Content-Type") != "application/x-protobuf" {
		t.Errorf("headers %v", got)
	}
}

func TestRetriesHonourRetryAfterAndStopAtPermanentErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	e, err := newHTTPSpanExporter(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL}))
	if err != nil {
		t.Fatal(err)
	}
	spans := tracetest.SpanStubs{{Name: "s"}}.Snapshots()
	start := time.Now()
	if err := e.ExportSpans(context.Background(), spans); err != nil || calls.Load() != 2 || time.Since(start) < time.Second {
		t.Fatalf("503 then 200: %v after %d calls in %v", err, calls.Load(), time.Since(start))
	}
	if err := e.ExportSpans(context.Background(), spans); err == nil || !strings.Contains(err.Error(), "HTTP 400") || calls.Load() != 3 {
		t.Fatalf("a 400 is retried or not reported: %v after %d calls", err, calls.Load())
	}
	_ = e.Shutdown(context.Background())
	if err := e.ExportSpans(context.Background(), spans); !errors.Is(err, errExporterClosed) {
		t.Fatalf("export after shutdown: %v", err)
	}
}

func TestADeadEndpointGivesUpAtTheTimeout(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	e, err := newHTTPSpanExporter(env(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_EXPORTER_OTLP_TIMEOUT": "700"}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := e.ExportSpans(context.Background(), tracetest.SpanStubs{{Name: "s"}}.Snapshots()); err == nil {
		t.Fatal("no error from a dead endpoint")
	}
	if d := time.Since(start); d < 500*time.Millisecond || d > 3*time.Second {
		t.Fatalf("gave up after %v, want about 0.7 s", d)
	}
}
