// Command frontend serves checkouts by asking the backend for the order. It has
// no telemetry code on purpose: rulec adds tracing when the service is compiled.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"time"
)

var client = &http.Client{Timeout: 5 * time.Second}

var backendURL string

type order struct {
	ID    string  `json:"id"`
	Item  string  `json:"item"`
	Total float64 `json:"total"`
}

func main() {
	addr := getenv("FRONTEND_ADDR", "127.0.0.1:8080")
	backendURL = getenv("BACKEND_URL", "http://127.0.0.1:8081")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkout/{id}", checkout)
	mux.HandleFunc("GET /healthz", healthz)

	log.Printf("frontend listening on %s, backend %s", addr, backendURL)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func checkout(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	o, status, err := fetchOrder(r, id)
	if err != nil {
		log.Printf("checkout %s: %v", id, err)
		if status == http.StatusNotFound {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "order not found"})
			return
		}
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": "backend unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"order":   o.ID,
		"item":    o.Item,
		"total":   o.Total,
		"message": "checkout complete",
	})
}

// fetchOrder returns the backend's status code alongside any error so the
// caller can tell "no such order" from "backend broken".
func fetchOrder(r *http.Request, id string) (order, int, error) {
	var o order
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet,
		backendURL+"/orders/"+url.PathEscape(id), nil)
	if err != nil {
		return o, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return o, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return o, resp.StatusCode, fmt.Errorf("backend answered %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&o); err != nil {
		return o, resp.StatusCode, fmt.Errorf("decode order: %w", err)
	}
	return o, resp.StatusCode, nil
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
