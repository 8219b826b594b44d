// Package grpc holds rulec's hooks on google.golang.org/grpc (plugin
// "grpc"): every server and client connection a program makes gets a gRPC
// stats handler (gRPC's public stats.Handler API) that makes one SERVER or
// CLIENT span per RPC, unary or streaming, carries trace context in the
// metadata, and records rpc.server.duration / rpc.client.duration.
//
// Hook signatures are an ABI contract with the rulec compiler.
package grpc

import (
	grpcgo "google.golang.org/grpc"
)

// NewServerBefore is the before hook of grpc.NewServer.
func NewServerBefore(opts *[]grpcgo.ServerOption) {
	o := *opts
	// A new array: the caller's may be shared, or have room past its length.
	*opts = append(o[:len(o):len(o)], grpcgo.StatsHandler(serverHandler{}))
}

// NewClientBefore is the before hook of grpc.NewClient, which Dial and
// DialContext go through too.
func NewClientBefore(target string, opts *[]grpcgo.DialOption) {
	o := *opts
	*opts = append(o[:len(o):len(o)], grpcgo.WithStatsHandler(newClientHandler(target)))
}
