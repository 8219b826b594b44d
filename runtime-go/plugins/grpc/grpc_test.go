package grpc

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	grpcgo "google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

const (
	check  = "grpc.health.v1.Health/Check"
	watch  = "grpc.health.v1.Health/Watch"
	broken = "test.Broken/Do"
	export = "opentelemetry.proto.collector.trace.v1.TraceService/Export"
)

// brokenService fails every call with Internal: a server-side failure.
func brokenService() *grpcgo.ServiceDesc {
	fail := func(any, context.Context, func(any) error, grpcgo.UnaryServerInterceptor) (any, error) {
		return nil, status.Error(grpccodes.Internal, "disk on fire")
	}
	return &grpcgo.ServiceDesc{
		ServiceName: "test.Broken",
		HandlerType: (*any)(nil),
		Methods:     []grpcgo.MethodDesc{{MethodName: "Do", Handler: fail}},
	}
}

// exportService stands for an OTLP collector, whose calls are not traced:
// it reports whether its handler saw an RPC state in its context.
func exportService(sawState chan<- bool) *grpcgo.ServiceDesc {
	return &grpcgo.ServiceDesc{
		ServiceName: "opentelemetry.proto.collector.trace.v1.TraceService",
		HandlerType: (*any)(nil),
		Methods: []grpcgo.MethodDesc{{MethodName: "Export", Handler: func(_ any, ctx context.Context, _ func(any) error, _ grpcgo.UnaryServerInterceptor) (any, error) {
			sawState <- stateFrom(ctx) != nil
			return &healthpb.HealthCheckResponse{}, nil
		}}},
	}
}

// startServer plays the wrapper of grpc.NewServer (before hook, real
// constructor) and serves the health service, a broken one and an
// export one on a loopback port.
func startServer(t *testing.T) (addr string, sawState chan bool) {
	t.Helper()
	var opts []grpcgo.ServerOption
	NewServerBefore(&opts)
	srv := grpcgo.NewServer(opts...)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	sawState = make(chan bool, 1)
	srv.RegisterService(brokenService(), struct{}{})
	srv.RegisterService(exportService(sawState), struct{}{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(srv.Stop)
	return ln.Addr().String(), sawState
}

// dial plays the wrapper of grpc.NewClient.
func dial(t *testing.T, target string) *grpcgo.ClientConn {
	t.Helper()
	opts := []grpcgo.DialOption{grpcgo.WithTransportCredentials(insecure.NewCredentials())}
	NewClientBefore(target, &opts)
	conn, err := grpcgo.NewClient(target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestRPCsAreLinkedSpansWithStatusAndMetrics(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	addr, _ := startServer(t)
	conn := dial(t, "passthrough:///"+addr)
	client := healthpb.NewHealthClient(conn)
	ctx, request := core.Start(context.Background(), "GET /call", trace.SpanKindServer)

	if resp, err := client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("Check = %v, %v", resp, err)
	}
	if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: "missing"}); status.Code(err) != grpccodes.NotFound {
		t.Fatalf("Check of a missing service: %v", err)
	}
	wctx, cancel := context.WithCancel(ctx)
	stream, err := client.Watch(wctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel() // a server stream ends when its client hangs up
	if _, err := stream.Recv(); status.Code(err) != grpccodes.Canceled {
		t.Fatalf("Watch after cancel: %v", err)
	}
	if err := conn.Invoke(ctx, "/"+broken, &healthpb.HealthCheckRequest{}, &healthpb.HealthCheckResponse{}); status.Code(err) != grpccodes.Internal {
		t.Fatalf("broken call: %v", err)
	}
	request.End()

	// Server spans end on the server's goroutines, maybe after the client's.
	spans := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool {
		return len(coretest.SpansOfKind(s, trace.SpanKindServer)) == 5
	})
	clients := coretest.SpansOfKind(spans, trace.SpanKindClient)
	if got := fmt.Sprint(coretest.SpanNames(clients)); got != fmt.Sprint([]string{check, check, watch, broken}) {
		t.Fatalf("client spans %s", got)
	}
	host, port := coretest.HostPort(t, addr)
	servers := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range coretest.SpansOfKind(spans, trace.SpanKindServer) {
		if s.Name() != "GET /call" {
			servers[s.Parent().SpanID()] = s
		}
	}
	type want struct {
		method       string
		code         grpccodes.Code
		clientFailed bool
		serverFailed bool
	}
	wants := []want{
		{"Check", grpccodes.OK, false, false},
		{"Check", grpccodes.NotFound, true, false}, // the client's failure, not the server's
		{"Watch", grpccodes.Canceled, true, false},
		{"Do", grpccodes.Internal, true, true},
	}
	for i, c := range clients {
		w := wants[i]
		if c.Parent().SpanID() != request.SpanContext().SpanID() || c.SpanContext().TraceID() != request.SpanContext().TraceID() {
			t.Errorf("client %s (#%d) is not under the caller's span", c.Name(), i)
		}
		service := "grpc.health.v1.Health"
		if w.method == "Do" {
			service = "test.Broken"
		}
		coretest.CheckAttrs(t, c.Name(), coretest.Attrs(c), map[string]any{
			"rpc.system": "grpc", "rpc.service": service, "rpc.method": w.method,
			"server.address": host, "server.port": port, "rpc.grpc.status_code": int64(w.code),
		})
		checkFailure(t, "client "+c.Name(), c, w.code, w.clientFailed)

		// The server span continues the client's trace: metadata carried it.
		s, ok := servers[c.SpanContext().SpanID()]
		if !ok {
			t.Errorf("no server span under client %s (#%d)", c.Name(), i)
			continue
		}
		if s.Name() != c.Name() || s.SpanContext().TraceID() != c.SpanContext().TraceID() {
			t.Errorf("server span %q in trace %v", s.Name(), s.SpanContext().TraceID())
		}
		coretest.CheckAttrs(t, "server "+s.Name(), coretest.Attrs(s), map[string]any{
			"rpc.system": "grpc", "rpc.service": service, "rpc.method": w.method,
			"rpc.grpc.status_code": int64(w.code), "server.address": nil,
		})
		checkFailure(t, "server "+s.Name(), s, w.code, w.serverFailed)
	}
	if d := clients[1].Status().Description; d != "unknown service" {
		t.Errorf("NotFound description %q, want the status message", d)
	}
	if d := clients[3].Status().Description; d != "disk on fire" {
		t.Errorf("Internal description %q", d)
	}

	// Check's series by status code (the other calls' under -1).
	checks := coretest.SeriesCounts(t, reader, "rpc.client.duration", "ms", func(a map[string]any) int64 {
		if a["rpc.method"] != "Check" {
			return -1
		}
		if a["server.address"] != host || (a["rpc.grpc.status_code"] == int64(grpccodes.NotFound)) != (a["error.type"] == "NotFound") {
			t.Errorf("client series %v", a)
		}
		return a["rpc.grpc.status_code"].(int64)
	})
	if checks[0] != 1 || checks[int64(grpccodes.NotFound)] != 1 {
		t.Errorf("client Check series by code %v", checks)
	}
	// The cancelled stream is counted too, though its context is done.
	waitHistogram(t, reader, "rpc.client.duration", 4)
	// A server records its call after ending its span, when the call's
	// context is already cancelled: wait for all four.
	points := waitHistogram(t, reader, "rpc.server.duration", 4)
	var served uint64
	for _, p := range points {
		a := coretest.SetAttrs(p.Attributes)
		if a["rpc.method"] == "Check" {
			served += p.Count
		}
		if a["rpc.method"] == "Do" && a["error.type"] != "Internal" {
			t.Errorf("server series of the broken call %v", a)
		}
	}
	if served != 2 {
		t.Errorf("rpc.server.duration counted %d Check calls, want 2", served)
	}
}

// waitHistogram polls reader until the histogram called name (in ms) has
// counted n records.
func waitHistogram(t *testing.T, reader sdkmetric.Reader, name string, n uint64) []metricdata.HistogramDataPoint[float64] {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var rm metricdata.ResourceMetrics
		if err := reader.Collect(context.Background(), &rm); err != nil {
			t.Fatal(err)
		}
		for _, sm := range rm.ScopeMetrics {
			for _, m := range sm.Metrics {
				h, ok := m.Data.(metricdata.Histogram[float64])
				if m.Name != name || !ok {
					continue
				}
				var count uint64
				for _, p := range h.DataPoints {
					count += p.Count
				}
				if m.Unit != "ms" {
					t.Errorf("%s unit %q, want ms", name, m.Unit)
				}
				if count >= n {
					return h.DataPoints
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never counted %d records", name, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func checkFailure(t *testing.T, what string, s sdktrace.ReadOnlySpan, code grpccodes.Code, failed bool) {
	t.Helper()
	a := coretest.Attrs(s)
	if failed {
		if s.Status().Code != codes.Error || a["error.type"] != code.String() {
			t.Errorf("%s: status %v error.type %v, want an error %s", what, s.Status(), a["error.type"], code)
		}
		return
	}
	if s.Status().Code != codes.Unset || a["error.type"] != nil {
		t.Errorf("%s: status %v error.type %v, want no error", what, s.Status(), a["error.type"])
	}
}

func TestExportCallsAreNotTraced(t *testing.T) {
	rec := coretest.NewRecorder(t)
	addr, sawState := startServer(t)
	conn := dial(t, addr)
	if err := conn.Invoke(context.Background(), "/"+export, &healthpb.HealthCheckRequest{}, &healthpb.HealthCheckResponse{}); err != nil {
		t.Fatal(err)
	}
	if <-sawState {
		t.Error("the server traced an OTLP export")
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Errorf("an OTLP export made spans %v", coretest.SpanNames(spans))
	}
}

func TestSuppressedClientCallIsNotTraced(t *testing.T) {
	rec := coretest.NewRecorder(t)
	addr, _ := startServer(t)
	client := healthpb.NewHealthClient(dial(t, addr))
	if _, err := client.Check(core.Suppress(context.Background()), &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	// The server knows nothing of the client's context: its span is a root.
	spans := coretest.WaitEnded(t, rec, func(s []sdktrace.ReadOnlySpan) bool { return len(s) > 0 })
	if len(coretest.SpansOfKind(spans, trace.SpanKindClient)) != 0 {
		t.Errorf("a suppressed call made a client span")
	}
	if s := coretest.FindSpan(t, spans, check, trace.SpanKindServer); s.Parent().IsValid() {
		t.Errorf("server span has a parent %v", s.Parent())
	}
}

func TestDisabledMakesNoSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	addr, _ := startServer(t)
	client := healthpb.NewHealthClient(dial(t, addr))
	coretest.Disable(t)
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Errorf("spans %v", coretest.SpanNames(spans))
	}
}

// The hooks add their option to a copy: the caller's slice, which may be
// shared or have room past its length, is left as it was.
func TestOptionsAreAppendedToACopy(t *testing.T) {
	serverBacking := make([]grpcgo.ServerOption, 1, 4)
	serverOpts := serverBacking[:1]
	NewServerBefore(&serverOpts)
	if len(serverOpts) != 2 || serverBacking[:2][1] != nil {
		t.Errorf("server options %d, backing array written: %v", len(serverOpts), serverBacking[:2][1] != nil)
	}
	clientBacking := make([]grpcgo.DialOption, 1, 4)
	clientOpts := clientBacking[:1]
	NewClientBefore("localhost:1", &clientOpts)
	if len(clientOpts) != 2 || clientBacking[:2][1] != nil {
		t.Errorf("dial options %d, backing array written: %v", len(clientOpts), clientBacking[:2][1] != nil)
	}
}

func TestServerAddressFromTarget(t *testing.T) {
	for _, c := range []struct {
		target string
		want   string
	}{
		{"127.0.0.1:50051", "[server.address:127.0.0.1 server.port:50051]"},
		{"dns:///api.example:443", "[server.address:api.example server.port:443]"},
		{"dns://8.8.8.8/api.example:443", "[server.address:api.example server.port:443]"},
		{"passthrough:///[::1]:9000", "[server.address:::1 server.port:9000]"},
		{"api.example", "[server.address:api.example]"},
		// A Unix socket's address is its path, not the path's last element.
		{"unix:///tmp/grpc.sock", "[server.address:/tmp/grpc.sock]"},
		{"unix:run/grpc.sock", "[server.address:run/grpc.sock]"},
	} {
		h := newClientHandler(c.target)
		var got []string
		for _, kv := range h.peer {
			got = append(got, string(kv.Key)+":"+kv.Value.Emit())
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("%s: %v, want %s", c.target, got, c.want)
		}
	}
}
