// Command backend serves orders as JSON. It has no telemetry code on purpose:
// rulec adds tracing when the service is compiled.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
)

type order struct {
	ID       string  `json:"id"`
	Item     string  `json:"item"`
	Quantity int     `json:"quantity"`
	Total    float64 `json:"total"`
}

func main() {
	addr := getenv("BACKEND_ADDR", "127.0.0.1:8081")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", getOrder)
	mux.HandleFunc("GET /healthz", healthz)

	log.Printf("backend listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func getOrder(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	switch id {
	case "fail":
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "order store unavailable"})
	case "missing":
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "order not found"})
	default:
		writeJSON(w, http.StatusOK, order{ID: id, Item: "coffee beans", Quantity: 2, Total: 24.5})
	}
}

func healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(body); err != nil {
		log.Printf("write response: %v", err)
	}
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
