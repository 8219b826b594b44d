// Package kratos holds rulec's hooks on github.com/go-kratos/kratos/v2
// (plugin "kratos"). The request's span is the transport's (nethttp or
// grpc); these hooks add the Kratos operation and error reason to it, and
// the path template to a Kratos HTTP client's span.
//
// Hook signatures are an ABI contract with the rulec compiler.
package kratos

import (
	"context"

	"github.com/go-kratos/kratos/v2/errors"
	"github.com/go-kratos/kratos/v2/middleware"
	"github.com/go-kratos/kratos/v2/transport"
	kgrpc "github.com/go-kratos/kratos/v2/transport/grpc"
	khttp "github.com/go-kratos/kratos/v2/transport/http"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/plugins/nethttp"
)

var pluginSwitch = core.PackageSwitch()

// every selects all of a server's operations (Kratos' matcher takes a
// trailing * as a prefix).
const every = "/*"

// HTTPServerAfter is the after hook of http.NewServer.
func HTTPServerAfter(srv *khttp.Server) {
	if srv != nil {
		srv.Use(every, annotate)
	}
}

// GRPCServerAfter is the after hook of grpc.NewServer.
func GRPCServerAfter(srv *kgrpc.Server) {
	if srv != nil {
		srv.Use(every, annotate)
	}
}

// annotate is the service middleware rulec adds to every Kratos server: the
// handler's outcome on the span its transport started.
func annotate(next middleware.Handler) middleware.Handler {
	return func(ctx context.Context, req any) (any, error) {
		reply, err := next(ctx, req)
		if !core.Enabled() || !pluginSwitch.Load() {
			return reply, err
		}
		span := trace.SpanFromContext(ctx)
		if !span.IsRecording() {
			return reply, err
		}
		if tr, ok := transport.FromServerContext(ctx); ok {
			if ht, ok := tr.(*khttp.Transport); ok {
				// gRPC spans are named by the method already; an HTTP span
				// by its route (gorillamux's plugin finds the same one for
				// routes outside the middleware), the operation beside it.
				nethttp.SetRoute(ht.Request(), ht.PathTemplate())
				span.SetAttributes(attribute.String("kratos.operation", tr.Operation()))
			}
		}
		if err != nil {
			if reason := errors.Reason(err); reason != "" {
				span.SetAttributes(attribute.String("kratos.error.reason", reason))
			}
			// Whether the span failed is the transport's to say (a 404 or
			// NotFound is the client's error); the error is kept either way.
			span.RecordError(err)
		}
		return reply, err
	}
}

// InvokeBefore is the before hook of (*http.Client).Invoke: the path
// template a generated client passes names the request's CLIENT span.
func InvokeBefore(ctx *context.Context, method, path string, args, reply any, opts []khttp.CallOption) {
	if ctx == nil || *ctx == nil || !pluginSwitch.Load() {
		return
	}
	for _, o := range opts {
		if t, ok := o.(khttp.PathTemplateCallOption); ok && t.Pattern != "" {
			*ctx = nethttp.WithURLTemplate(*ctx, t.Pattern)
		}
	}
}
