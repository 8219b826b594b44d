// Package orders is the shop backend's HTTP handler: the backend serves it,
// and bench/httpserver builds the same handler plainly, with rulec and
// wrapped in otelhttp. It has no telemetry code on purpose.
package orders

import (
	"encoding/json"
	"log"
	"net/http"
)

type order struct {
	ID       string  `json:"id"`
	Item     string  `json:"item"`
	Quantity int     `json:"quantity"`
	Total    float64 `json:"total"`
}

// Handler serves GET /orders/{id} (ids "fail" and "missing" answer 500 and
// 404) and GET /healthz.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", getOrder)
	mux.HandleFunc("GET /healthz", healthz)
	return mux
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
