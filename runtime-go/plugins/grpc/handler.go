package grpc

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"

	"rulec.dev/runtime/core"
)

var (
	serverDuration = core.NewMillisecondDuration("rpc.server.duration", "Duration of gRPC calls served.")
	clientDuration = core.NewMillisecondDuration("rpc.client.duration", "Duration of gRPC calls made.")
	pluginSwitch   = core.PackageSwitch()
)

// rpcState follows one RPC from TagRPC to its End.
type rpcState struct {
	span   trace.Span
	start  time.Time
	metric []attribute.KeyValue
	client bool
}

type stateKey struct{}

func stateFrom(ctx context.Context) *rpcState {
	st, _ := ctx.Value(stateKey{}).(*rpcState)
	return st
}

// isExport reports whether a method is an OTLP export (an OTel exporter the
// application set up itself): telemetry about telemetry is not traced.
func isExport(fullMethod string) bool {
	return strings.HasPrefix(fullMethod, "/opentelemetry.proto.collector.")
}

// methodAttrs splits "/pkg.Service/Method" per the RPC conventions.
func methodAttrs(fullMethod string) (name string, attrs []attribute.KeyValue) {
	name = strings.TrimPrefix(fullMethod, "/")
	attrs = []attribute.KeyValue{attribute.String("rpc.system", "grpc")}
	if service, method, ok := strings.Cut(name, "/"); ok {
		attrs = append(attrs, attribute.String("rpc.service", service), attribute.String("rpc.method", method))
	}
	return name, attrs
}

// handle is HandleRPC for both sides: the RPC ends with its status.
func handle(ctx context.Context, s stats.RPCStats, duration *core.Duration) {
	st := stateFrom(ctx)
	end, ok := s.(*stats.End)
	if st == nil || !ok {
		return
	}
	code := status.Code(end.Error)
	codeAttr := attribute.Int("rpc.grpc.status_code", int(code))
	st.span.SetAttributes(codeAttr)
	metric := append(st.metric[:len(st.metric):len(st.metric)], codeAttr)
	if failed(code, st.client) {
		msg := ""
		if end.Error != nil {
			msg = status.Convert(end.Error).Message()
		}
		st.span.SetStatus(codes.Error, msg)
		errType := attribute.String("error.type", code.String())
		st.span.SetAttributes(errType)
		metric = append(metric, errType)
	}
	st.span.End()
	duration.Record(ctx, st.start, metric...)
}

// failed follows the gRPC conventions: any non-OK status fails a client
// span; on a server, only the codes that say the server failed.
func failed(code grpccodes.Code, client bool) bool {
	if client {
		return code != grpccodes.OK
	}
	switch code {
	case grpccodes.Unknown, grpccodes.DeadlineExceeded, grpccodes.Unimplemented, grpccodes.Internal,
		grpccodes.Unavailable, grpccodes.DataLoss:
		return true
	}
	return false
}

type serverHandler struct{}

func (serverHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	if !pluginSwitch.Load() || !core.Enabled() || isExport(info.FullMethodName) {
		return ctx
	}
	md, _ := metadata.FromIncomingContext(ctx)
	ctx = core.Propagator().Extract(ctx, metadataCarrier(md))
	name, attrs := methodAttrs(info.FullMethodName)
	st := &rpcState{start: time.Now(), metric: attrs}
	ctx, st.span = core.Start(ctx, name, trace.SpanKindServer, attrs...)
	return context.WithValue(ctx, stateKey{}, st)
}

func (serverHandler) HandleRPC(ctx context.Context, s stats.RPCStats) {
	handle(ctx, s, serverDuration)
}

func (serverHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (serverHandler) HandleConn(context.Context, stats.ConnStats)                       {}

type clientHandler struct {
	peer []attribute.KeyValue // server.address and server.port, from the target
}

func newClientHandler(target string) clientHandler {
	// "unix:path" and "unix:///abs/path": the socket's path is its address.
	if path, ok := strings.CutPrefix(target, "unix:"); ok {
		path = strings.TrimPrefix(path, "//")
		return clientHandler{peer: []attribute.KeyValue{attribute.String("server.address", path)}}
	}
	// "dns:///host:port", "passthrough:///host:port", "host:port"...
	if i := strings.LastIndex(target, "/"); i >= 0 {
		target = target[i+1:]
	}
	host, port, err := net.SplitHostPort(target)
	if err != nil {
		return clientHandler{peer: []attribute.KeyValue{attribute.String("server.address", target)}}
	}
	peer := []attribute.KeyValue{attribute.String("server.address", host)}
	if p, err := strconv.Atoi(port); err == nil {
		peer = append(peer, attribute.Int("server.port", p))
	}
	return clientHandler{peer: peer}
}

func (h clientHandler) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	if !pluginSwitch.Load() || !core.Enabled() || core.Suppressed(ctx) || isExport(info.FullMethodName) {
		return ctx
	}
	name, attrs := methodAttrs(info.FullMethodName)
	attrs = append(attrs, h.peer...)
	st := &rpcState{start: time.Now(), metric: attrs, client: true}
	ctx, st.span = core.Start(ctx, name, trace.SpanKindClient, attrs...)
	md, _ := metadata.FromOutgoingContext(ctx)
	md = md.Copy()
	core.Propagator().Inject(ctx, metadataCarrier(md))
	ctx = metadata.NewOutgoingContext(ctx, md)
	return context.WithValue(ctx, stateKey{}, st)
}

func (clientHandler) HandleRPC(ctx context.Context, s stats.RPCStats) {
	handle(ctx, s, clientDuration)
}

func (clientHandler) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (clientHandler) HandleConn(context.Context, stats.ConnStats)                       {}

// metadataCarrier lets propagators read and write gRPC metadata.
type metadataCarrier metadata.MD

var _ propagation.TextMapCarrier = metadataCarrier{}

func (c metadataCarrier) Get(key string) string {
	if v := metadata.MD(c).Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

func (c metadataCarrier) Set(key, value string) { metadata.MD(c).Set(key, value) }

func (c metadataCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}
