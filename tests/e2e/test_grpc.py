"""gRPC end to end, at the oldest release rulec builds with (v1.64, which its
own OTLP exporter needs) and the newest: a real gRPC server and client in one
program (the standard health service, unary and server streaming), called
inside an HTTP request, through grpc.NewClient and the older DialContext.
Each RPC is a CLIENT span under the request and a SERVER span under the
client span (trace context in the metadata), with rpc.* attributes and the
status code; NOT_FOUND fails the client span only; rpc.server.duration and
rpc.client.duration count the calls."""

from __future__ import annotations

import pytest
from support.gomod import go_release
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

# The newest release the Go running the tests can build: v1.85 needs Go 1.26.
NEWEST = "v1.85.0" if go_release() >= (1, 26) else "v1.84.0"

MAIN = """package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := grpc.NewServer()
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go srv.Serve(ln)

	creds := grpc.WithTransportCredentials(insecure.NewCredentials())
	conn, err := grpc.NewClient(ln.Addr().String(), creds)
	if err != nil {
		panic(err)
	}
	legacy, err := grpc.DialContext(context.Background(), ln.Addr().String(), creds)
	if err != nil {
		panic(err)
	}
	client, old := healthpb.NewHealthClient(conn), healthpb.NewHealthClient(legacy)

	http.HandleFunc("GET /call", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ok, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
		_, missing := old.Check(ctx, &healthpb.HealthCheckRequest{Service: "missing"})
		stream, serr := client.Watch(ctx, &healthpb.HealthCheckRequest{})
		if serr == nil {
			_, serr = stream.Recv()
		}
		fmt.Fprintln(w, ok.GetStatus(), err == nil, missing != nil, serr == nil)
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""

app = app_fixture(PluginCase(
    plugins=("grpc",),
    versions={"oldest": ["google.golang.org/grpc@v1.64.0"], "newest": [f"google.golang.org/grpc@{NEWEST}"]},
    program={"main.go": MAIN},
))  # fmt: skip


def test_rpcs_are_linked_spans_with_status_and_metrics(app: App) -> None:
    check, watch = "grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch"

    with app.running() as live:
        status, body = live.get("/call")
        assert status == 200 and body.split() == [b"SERVING", b"true", b"true", b"true"], body
        # Each RPC twice: its CLIENT span and its SERVER span.
        spans = live.wait_spans(check, check, check, check, watch, watch, "GET /call")
        points = live.wait_metric("rpc.client.duration")

    (request,) = [s for s in spans if s.name == "GET /call"]
    clients = sorted((s for s in spans if s.kind == "CLIENT"), key=lambda s: s.start_ns)
    assert [s.name for s in clients] == [check, check, watch]
    for c in clients:
        assert c.parent_span_id == request.span_id and c.trace_id == request.trace_id
        assert c.attributes["rpc.system"] == "grpc" and c.attributes["rpc.service"] == "grpc.health.v1.Health"
        assert c.attributes["server.address"] == "127.0.0.1"
        (served,) = [s for s in spans if s.kind == "SERVER" and s.parent_span_id == c.span_id]
        assert served.name == c.name and served.trace_id == request.trace_id
        assert served.attributes["rpc.grpc.status_code"] == c.attributes["rpc.grpc.status_code"]
        assert served.status_code == "UNSET"  # NOT_FOUND is the client's failure, not the server's
    ok, missing, stream = clients
    assert ok.attributes["rpc.method"] == "Check" and ok.attributes["rpc.grpc.status_code"] == 0
    assert ok.status_code == "UNSET"
    assert missing.attributes["rpc.grpc.status_code"] == 5 and missing.status_code == "ERROR"  # NOT_FOUND
    assert stream.attributes["rpc.method"] == "Watch"

    series = latest(points, "rpc.client.duration", live.pid).values()
    checks = [p for p in series if p.attributes.get("rpc.method") == "Check"]
    assert {p.attributes["rpc.grpc.status_code"] for p in checks} == {0, 5}
    assert all(p.unit == "ms" for p in checks)
    server_series = latest(points, "rpc.server.duration", live.pid).values()
    assert sum(p.count for p in server_series if p.attributes.get("rpc.method") == "Check") == 2
