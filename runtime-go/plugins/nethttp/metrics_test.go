package nethttp

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// histogram returns the named histogram's points, failing if it is absent;
// the durations are in seconds.
func histogram(t *testing.T, reader sdkmetric.Reader, name string) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	points, unit := coretest.Histogram(t, reader, name)
	if unit != "s" {
		t.Errorf("%s unit %q, want s", name, unit)
	}
	return points
}

func attrsOf(set attribute.Set) map[string]string {
	out := map[string]string{}
	for _, kv := range set.ToSlice() {
		out[string(kv.Key)] = kv.Value.Emit()
	}
	return out
}

func TestServerDurationIsBoundedByRoute(t *testing.T) {
	coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "13" {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	h := hookedServer(hookedMux(mux))
	for i := range 1000 {
		req := httptest.NewRequest("GET", fmt.Sprintf("http://shop.example/items/%d?q=%d", i, i), nil)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	points := histogram(t, reader, "http.server.request.duration")
	if len(points) != 2 {
		t.Fatalf("got %d series, want 2 (200 and 500): %v", len(points), points)
	}
	var total uint64
	for _, p := range points {
		total += p.Count
		got := attrsOf(p.Attributes)
		want := map[string]string{"http.request.method": "GET", "http.route": "/items/{id}", "url.scheme": "http",
			"network.protocol.version": "1.1", "http.response.status_code": "200"}
		if got["http.response.status_code"] == "500" {
			want["http.response.status_code"], want["error.type"] = "500", "500"
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("attributes %v, want %v", got, want)
		}
		if fmt.Sprint(p.Bounds) != fmt.Sprint(core.DurationBuckets) {
			t.Errorf("bounds %v", p.Bounds)
		}
	}
	if total != 1000 {
		t.Errorf("counted %d requests, want 1000", total)
	}
}

func TestClientDurationAttributes(t *testing.T) {
	coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	client := &http.Client{Transport: hookedTransport{newTransport(t)}}
	for i := range 3 {
		resp, err := client.Get(fmt.Sprintf("%s/users/%d?token=secret", srv.URL, i))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	_, err := client.Get("http://127.0.0.1:1/unreachable")
	if err == nil {
		t.Fatal("want a transport error")
	}

	points := histogram(t, reader, "http.client.request.duration")
	if len(points) != 2 {
		t.Fatalf("got %d series, want 2 (404 and the transport error)", len(points))
	}
	for _, p := range points {
		got := attrsOf(p.Attributes)
		if got["http.request.method"] != "GET" || got["server.address"] != "127.0.0.1" || got["url.full"] != "" {
			t.Errorf("attributes %v", got)
		}
		switch got["error.type"] {
		case "404":
			if p.Count != 3 || got["http.response.status_code"] != "404" {
				t.Errorf("404 series %v count %d", got, p.Count)
			}
		case "*url.Error", "*net.OpError":
			if p.Count != 1 {
				t.Errorf("error series count %d", p.Count)
			}
		default:
			t.Errorf("unexpected series %v", got)
		}
	}
}
