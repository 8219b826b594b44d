// Command inventory is the storefront's gRPC backend: it answers whether a
// product is in stock through the standard gRPC health service (one
// "service" per product code), so the example needs no generated code.
package main

import (
	"log"
	"net"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	ln, err := net.Listen("tcp", os.Getenv("INVENTORY_ADDR"))
	if err != nil {
		log.Fatal(err)
	}
	stock := health.NewServer()
	stock.SetServingStatus("D42", healthpb.HealthCheckResponse_SERVING)
	stock.SetServingStatus("E7", healthpb.HealthCheckResponse_NOT_SERVING)
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, stock)
	log.Fatal(srv.Serve(ln))
}
