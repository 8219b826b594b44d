package nethttp

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"rulec.dev/runtime/core/coretest"
)

// BenchmarkServerHooks is one request served through the server and mux
// hooks, with spans recorded and the duration metric collected: what rulec
// adds to a request, less the batch export (bench/http_server.sh has that).
func BenchmarkServerHooks(b *testing.B) {
	coretest.NewRecorder(b)
	coretest.NewMetricReader(b)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := hookedServer(hookedMux(mux))
	req := httptest.NewRequest("GET", "http://shop.example:8080/orders/42", nil)
	req.Header.Set("User-Agent", "bench/1.0")
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
