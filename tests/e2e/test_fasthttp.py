"""fasthttp and fiber end to end, each at its oldest supported and newest
release: a fiber app (served by fasthttp) calls a plain fasthttp server with
fasthttp's client. Fiber's route names the SERVER span, the client call is a
CLIENT span under it (no context is passed: the goroutine's carries it), the
backend's SERVER span continues the trace from the headers, a 500 fails the
span, and http.server.request.duration has the route, not the ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import build_app
from support.metrics import latest
from support.procs import free_port, get, service
from support.telemetry import Run

from view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

VERSIONS = {
    "oldest": ["github.com/valyala/fasthttp@v1.50.0", "github.com/gofiber/fiber/v2@v2.50.0"],
    "newest": ["github.com/valyala/fasthttp@v1.78.0", "github.com/gofiber/fiber/v2@v2.52.15"],
}

MAIN = """package main

import (
	"os"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

func main() {
	backend := os.Getenv("BACKEND_ADDR")
	go fasthttp.ListenAndServe(backend, func(ctx *fasthttp.RequestCtx) { ctx.WriteString("7") })

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(func(c *fiber.Ctx) error { return c.Next() }) // a middleware, matched first
	app.Get("/users/:id", func(c *fiber.Ctx) error {
		status, body, err := fasthttp.Get(nil, "http://"+backend+"/stock")
		if err != nil || status != 200 {
			return c.SendStatus(502)
		}
		return c.Send(body)
	})
	app.Get("/boom", func(c *fiber.Ctx) error { return c.SendStatus(500) })
	app.Get("/healthz", func(c *fiber.Ctx) error { return nil })
	app.Listen(os.Getenv("ADDR"))
}
"""


@pytest.fixture(scope="module", params=sorted(VERSIONS))
def fiber_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp(f"fiber-{request.param}")
    return build_app(parent, "example.com/fiberapp", {"main.go": MAIN}, VERSIONS[request.param], ("fasthttp", "fiber"))


def test_server_client_and_routes(fiber_app: Path, receiver: OtlpReceiver) -> None:
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    env = {"ADDR": addr, "BACKEND_ADDR": f"127.0.0.1:{free_port()}", **run.env()}

    with service(fiber_app, env, f"http://{addr}/healthz") as proc:
        for i in (1, 2):
            status, body, _ = get(f"http://{addr}/users/{i}")
            assert (status, body) == (200, b"7")
        assert get(f"http://{addr}/boom")[0] == 500
        spans = run.spans(receiver.wait_for(lambda got: sum(s.name == "GET" and s.kind == "SERVER" for s in run.spans(got)) >= 2
                                       and any(s.name == "GET /boom" for s in run.spans(got)), 30))  # fmt: skip
        points = receiver.wait_for_metrics(
            lambda got: any(p.name == "http.server.request.duration" and p.resource.get("test.run") == run.id
                            and p.attributes.get("http.route") == "/boom" for p in got), 30)  # fmt: skip

    users = [s for s in spans if s.name == "GET /users/{id}"]
    assert len(users) == 2
    for server in users:
        assert server.kind == "SERVER" and server.attributes["http.route"] == "/users/{id}"
        assert server.attributes["http.response.status_code"] == 200
        (client,) = [s for s in spans if s.kind == "CLIENT" and s.parent_span_id == server.span_id]
        assert client.name == "GET" and client.attributes["url.full"].endswith("/stock")
        assert client.attributes["http.response.status_code"] == 200
        (backend,) = [s for s in spans if s.kind == "SERVER" and s.parent_span_id == client.span_id]
        assert backend.trace_id == server.trace_id and backend.attributes["url.path"] == "/stock"
    (boom,) = [s for s in spans if s.name == "GET /boom"]
    assert boom.status_code == "ERROR" and boom.attributes["http.response.status_code"] == 500
    series = latest(points, "http.server.request.duration", proc.pid).values()
    (route,) = [p for p in series if p.attributes.get("http.route") == "/users/{id}"]
    assert route.count == 2
