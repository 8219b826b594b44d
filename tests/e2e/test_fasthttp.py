"""fasthttp and fiber end to end, each at its oldest supported and newest
release: a fiber app (served by fasthttp) calls a plain fasthttp server with
fasthttp's client. Fiber's route names the SERVER span, the client call is a
CLIENT span under it (no context is passed: the goroutine's carries it), the
backend's SERVER span continues the trace from the headers, a 500 fails the
span, and http.server.request.duration has the route, not the ids."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture
from support.procs import free_port

pytestmark = pytest.mark.e2e

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

app = app_fixture(PluginCase(
    plugins=("fasthttp", "fiber"),
    versions={"oldest": ["github.com/valyala/fasthttp@v1.50.0", "github.com/gofiber/fiber/v2@v2.50.0"],
              "newest": ["github.com/valyala/fasthttp@v1.78.0", "github.com/gofiber/fiber/v2@v2.52.15"]},
    program={"main.go": MAIN},
))  # fmt: skip


def test_server_client_and_routes(app: App) -> None:
    with app.running(BACKEND_ADDR=f"127.0.0.1:{free_port()}") as live:
        for i in (1, 2):
            assert live.get(f"/users/{i}") == (200, b"7")
        assert live.get("/boom")[0] == 500
        # Per user: the route's SERVER span, its CLIENT span "GET" and the backend's SERVER span "GET".
        spans = live.wait_spans(*["GET /users/{id}", "GET", "GET"] * 2, "GET /boom")
        points = live.wait_metric("http.server.request.duration", where={"http.route": "/boom"})

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
    series = latest(points, "http.server.request.duration", live.pid).values()
    (route,) = [p for p in series if p.attributes.get("http.route") == "/users/{id}"]
    assert route.count == 2
