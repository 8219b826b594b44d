// Command otlpsink is a light OTLP/HTTP receiver for the benchmarks: it
// accepts POST /v1/traces and /v1/metrics, reads and counts the body, and
// answers 200 with an empty Export*ServiceResponse (an empty protobuf
// message is zero bytes). GET /stats prints what it got, as JSON.
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"sync/atomic"
)

type counter struct{ requests, bytes atomic.Int64 }

func (c *counter) handle(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.requests.Add(1)
	c.bytes.Add(n)
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

func (c *counter) stats() map[string]int64 {
	return map[string]int64{"requests": c.requests.Load(), "bytes": c.bytes.Load()}
}

func main() {
	addr := os.Getenv("SINK_ADDR")
	if addr == "" {
		addr = "127.0.0.1:4318"
	}
	var traces, metrics counter
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", traces.handle)
	mux.HandleFunc("POST /v1/metrics", metrics.handle)
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"traces": traces.stats(), "metrics": metrics.stats()})
	})
	log.Printf("otlpsink listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}
