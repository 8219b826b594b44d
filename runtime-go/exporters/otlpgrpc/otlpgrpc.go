// Package otlpgrpc links the OTLP/gRPC exporters into a binary, for
// OTEL_EXPORTER_OTLP_PROTOCOL=grpc. rulec imports it into applications that
// already use gRPC, or where rulec.toml asks (`exporters = ["otlp-grpc"]`
// under [runtime]); elsewhere it would add gRPC to the binary for nothing.
package otlpgrpc

import (
	"context"

	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"rulec.dev/runtime/core"
)

func init() { core.RegisterGRPCExporters(spans, metrics) }

// The SDK exporters read their endpoint, headers, TLS and timeout from
// OTEL_EXPORTER_OTLP_* themselves; `plain`: no endpoint is configured, and
// the specification's default is plain gRPC on localhost.
func spans(plain bool) core.StartableExporter {
	var opts []otlptracegrpc.Option
	if plain {
		opts = append(opts, otlptracegrpc.WithInsecure())
	}
	return otlptracegrpc.NewUnstarted(opts...)
}

func metrics(ctx context.Context, plain bool) (sdkmetric.Exporter, error) {
	var opts []otlpmetricgrpc.Option
	if plain {
		opts = append(opts, otlpmetricgrpc.WithInsecure())
	}
	return otlpmetricgrpc.New(ctx, opts...)
}
