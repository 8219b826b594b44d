// Command httpserver serves the shop handler on BENCH_ADDR, with no
// telemetry code: the plain and the rulec variants of the benchmark.
package main

import (
	"log"
	"net/http"
	"os"

	"example.com/shop/orders"
)

func main() {
	addr := os.Getenv("BENCH_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8081"
	}
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, orders.Handler()))
}
