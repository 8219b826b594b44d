// Command backend serves orders as JSON. It has no telemetry code on purpose:
// rulec adds tracing when the service is compiled.
package main

import (
	"log"
	"net/http"
	"os"

	"example.com/shop/orders"
)

func main() {
	addr := getenv("BACKEND_ADDR", "127.0.0.1:8081")
	log.Printf("backend listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, orders.Handler()))
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
