package core_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
	"rulec.dev/runtime/plugins/nethttp"
)

// TestExporterRequestsAreNotTraced drives the runtime's OTLP/HTTP exporter
// through its wrapper. Its transport's Proxy func sees each outgoing
// request exactly as the RoundTrip hook would, so it calls ClientBefore
// there: the hook must refuse to trace the exporter's own requests.
func TestExporterRequestsAreNotTraced(t *testing.T) {
	rec := coretest.NewRecorder(t)
	var posts atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/traces" {
			posts.Add(1)
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()

	var seen, traced atomic.Int32
	exp := core.HTTPSpanExporter(collector.URL, func(r *http.Request) (*url.URL, error) {
		seen.Add(1)
		req := r
		if st := nethttp.ClientBefore(nil, &req); st != nil || req != r {
			traced.Add(1)
			nethttp.ClientAfter(st, nil, nil)
		}
		return nil, nil
	})
	stubs := tracetest.SpanStubs{{Name: "payload"}}
	if err := exp.ExportSpans(context.Background(), stubs.Snapshots()); err != nil {
		t.Fatal(err)
	}
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if posts.Load() != 1 || seen.Load() == 0 {
		t.Fatalf("collector got %d posts, proxy saw %d requests", posts.Load(), seen.Load())
	}
	if traced.Load() != 0 || len(rec.Ended()) != 0 {
		t.Fatalf("exporter traffic was traced: %d hooks, %d spans", traced.Load(), len(rec.Ended()))
	}
}
