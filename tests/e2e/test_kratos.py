"""Kratos end to end, at its oldest supported (v2.7.0) and newest release:
a Kratos HTTP server whose handlers run through Kratos' service middleware
as generated code's do, a Kratos HTTP client calling it by path template,
and a Kratos gRPC server (the standard health service it serves) called through a
Kratos gRPC client. The spans are the transports' (nethttp, gorillamux,
grpc): one per hop, one trace across the three; the kratos plugin adds the
operation, the error reason and the client's template."""

from __future__ import annotations

import pytest
from support.gomod import go_release
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

# The newest gRPC the Go running the tests can build: v1.85 needs Go 1.26.
GRPC_NEWEST = "v1.85.0" if go_release() >= (1, 26) else "v1.84.0"

MAIN = """package main

import (
	"context"
	"net/http"
	"os"

	"github.com/go-kratos/kratos/v2/errors"
	kgrpc "github.com/go-kratos/kratos/v2/transport/grpc"
	khttp "github.com/go-kratos/kratos/v2/transport/http"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// handle registers a route the way protoc-gen-go-http's code does: the
// operation set, the handler run through the server's middleware.
func handle(r *khttp.Router, path, operation string, h func(ctx context.Context) (any, error)) {
	r.GET(path, func(ctx khttp.Context) error {
		khttp.SetOperation(ctx, operation)
		out, err := ctx.Middleware(func(c context.Context, _ any) (any, error) { return h(c) })(ctx, nil)
		if err != nil {
			return err
		}
		return ctx.Result(200, out)
	})
}

func main() {
	ctx := context.Background()
	// A Kratos gRPC server serves the standard health service itself.
	gsrv := kgrpc.NewServer(kgrpc.Address("127.0.0.1:0"))
	endpoint, err := gsrv.Endpoint()
	if err != nil {
		panic(err)
	}
	go gsrv.Start(ctx)
	conn, err := kgrpc.DialInsecure(ctx, kgrpc.WithEndpoint(endpoint.Host))
	if err != nil {
		panic(err)
	}
	health := healthpb.NewHealthClient(conn)
	self, err := khttp.NewClient(ctx, khttp.WithEndpoint(os.Getenv("ADDR")))
	if err != nil {
		panic(err)
	}

	hsrv := khttp.NewServer(khttp.Address(os.Getenv("ADDR")))
	r := hsrv.Route("/")
	handle(r, "/front/{id}", "/shop.v1.Front/Get", func(c context.Context) (any, error) {
		var user map[string]string
		err := self.Invoke(c, "GET", "/users/7", nil, &user,
			khttp.Operation("/shop.v1.Users/Get"), khttp.PathTemplate("/users/{id}"))
		return user, err
	})
	handle(r, "/users/{id}", "/shop.v1.Users/Get", func(c context.Context) (any, error) {
		reply, err := health.Check(c, &healthpb.HealthCheckRequest{})
		return map[string]string{"status": reply.GetStatus().String()}, err
	})
	handle(r, "/missing/{id}", "/shop.v1.Users/Missing", func(context.Context) (any, error) {
		return nil, errors.NotFound("USER_NOT_FOUND", "no such user")
	})
	handle(r, "/down", "/shop.v1.Users/Down", func(context.Context) (any, error) {
		return nil, errors.InternalServer("DB_DOWN", "the store is down")
	})
	hsrv.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	if err := hsrv.Start(ctx); err != nil {
		panic(err)
	}
}
"""

app = app_fixture(PluginCase(
    plugins=("kratos", "nethttp", "gorillamux", "grpc"),
    versions={"oldest": ["github.com/go-kratos/kratos/v2@v2.7.0", "google.golang.org/grpc@v1.64.0"],
              "newest": ["github.com/go-kratos/kratos/v2@v2.9.1", f"google.golang.org/grpc@{GRPC_NEWEST}"]},
    program={"main.go": MAIN},
))  # fmt: skip

CHECK = "grpc.health.v1.Health/Check"


def test_one_trace_across_http_client_server_and_grpc(app: App) -> None:
    with app.running() as live:
        status, body = live.get("/front/1")
        assert status == 200 and b"SERVING" in body, body
        spans = live.wait_spans("GET /front/{id}", "GET /users/{id}", "GET /users/{id}", CHECK, CHECK)
        points = live.wait_metric("http.server.request.duration", {"http.route": "/users/{id}"})

    (front,) = [s for s in spans if s.name == "GET /front/{id}"]
    assert front.kind == "SERVER" and front.attributes["kratos.operation"] == "/shop.v1.Front/Get"
    (client,) = [s for s in spans if s.name == "GET /users/{id}" and s.kind == "CLIENT"]
    assert client.parent_span_id == front.span_id and client.attributes["url.template"] == "/users/{id}"
    # Exactly one SERVER span per hop: nethttp's, annotated, not a second one.
    (users,) = [s for s in spans if s.name == "GET /users/{id}" and s.kind == "SERVER"]
    assert users.parent_span_id == client.span_id
    assert users.attributes["http.route"] == "/users/{id}"
    assert users.attributes["kratos.operation"] == "/shop.v1.Users/Get"
    (check_client,) = [s for s in spans if s.name == CHECK and s.kind == "CLIENT"]
    (check_server,) = [s for s in spans if s.name == CHECK and s.kind == "SERVER"]
    assert check_client.parent_span_id == users.span_id and check_server.parent_span_id == check_client.span_id
    assert check_server.attributes["rpc.system"] == "grpc"
    assert len({s.trace_id for s in spans if s.name in ("GET /front/{id}", "GET /users/{id}", CHECK)}) == 1

    series = latest(points, "http.server.request.duration", live.pid).values()
    assert [p.count for p in series if p.attributes.get("http.route") == "/users/{id}"] == [1]


def test_error_reasons_are_recorded_and_only_5xx_fails(app: App) -> None:
    with app.running() as live:
        assert live.get("/missing/3")[0] == 404
        assert live.get("/down")[0] == 500
        spans = live.wait_spans("GET /missing/{id}", "GET /down")

    (missing,) = [s for s in spans if s.name == "GET /missing/{id}"]
    assert missing.attributes["kratos.error.reason"] == "USER_NOT_FOUND"
    assert missing.status_code == "UNSET"  # a 404 is the client's error
    assert [name for name, _ in missing.events] == ["exception"]
    (down,) = [s for s in spans if s.name == "GET /down"]
    assert down.attributes["kratos.error.reason"] == "DB_DOWN"
    assert down.status_code == "ERROR" and down.attributes["error.type"] == "500"
