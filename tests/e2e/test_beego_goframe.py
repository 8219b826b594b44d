"""beego and GoFrame end to end, each at its oldest supported and newest
release, in one program (ROUTER picks the framework). Both serve through
net/http: the nethttp plugin's SERVER span is named by the route the
framework's router found (`GET /users/{id}`, parameters in the ServeMux
form, a typed or regular-expression parameter by its name alone), 5xx fails
it, and http.server.request.duration has one series per route. GoFrame's
own tracing middlewares (server and gclient) are on by default; they step
aside, so a GoFrame front calling a GoFrame route through gclient makes one
CLIENT and one SERVER span, in one trace."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"net/http"
	"os"

	"github.com/beego/beego/v2/server/web"
	beecontext "github.com/beego/beego/v2/server/web/context"
	"github.com/gogf/gf/v2/net/gclient"
	"github.com/gogf/gf/v2/net/ghttp"
)

func serveBeego(addr string) {
	cr := web.NewControllerRegister()
	ok := func(ctx *beecontext.Context) { ctx.WriteString("ok") }
	cr.Get("/users/:id", ok)
	cr.Get("/items/:id:int", ok)
	cr.Get("/fail", func(ctx *beecontext.Context) {
		ctx.ResponseWriter.WriteHeader(http.StatusInternalServerError)
	})
	cr.Get("/healthz", ok)
	http.ListenAndServe(addr, cr)
}

func serveGoFrame(addr string) {
	s := ghttp.GetServer("shop")
	ok := func(r *ghttp.Request) { r.Response.Write("ok") }
	s.BindHandler("GET:/users/{id}", ok)
	s.Group("/admin", func(g *ghttp.RouterGroup) { g.GET("/items/:item", ok) })
	s.BindHandler("GET:/front", func(r *ghttp.Request) {
		r.Response.Write(gclient.New().GetContent(r.Context(), "http://"+addr+"/users/7"))
	})
	s.BindHandler("GET:/fail", func(r *ghttp.Request) { r.Response.WriteStatus(http.StatusInternalServerError, "boom") })
	s.BindHandler("GET:/healthz", ok)
	s.SetAddr(addr)
	s.SetDumpRouterMap(false)
	s.Run()
}

func main() {
	if os.Getenv("ROUTER") == "goframe" {
		serveGoFrame(os.Getenv("ADDR"))
	} else {
		serveBeego(os.Getenv("ADDR"))
	}
}
"""

app = app_fixture(PluginCase(
    plugins=("beego", "goframe", "nethttp"),
    versions={"oldest": ["github.com/beego/beego/v2@v2.1.0", "github.com/gogf/gf/v2@v2.6.0"],
              "newest": ["github.com/beego/beego/v2@v2.3.9", "github.com/gogf/gf/v2@v2.10.0"]},
    program={"main.go": MAIN},
))  # fmt: skip


@pytest.mark.parametrize(
    ("router", "paths", "routes"),
    [
        ("beego", ["/users/1", "/users/2", "/items/9"], ["/users/{id}", "/items/{id}"]),
        ("goframe", ["/users/1", "/users/2", "/admin/items/9"], ["/users/{id}", "/admin/items/{item}"]),
    ],
)
def test_routes_name_the_span_and_its_metric(app: App, router: str, paths: list[str], routes: list[str]) -> None:
    with app.running(ROUTER=router) as live:
        for path in paths:
            assert live.get(path)[0] == 200
        assert live.get("/nowhere")[0] == 404
        assert live.get("/fail")[0] == 500
        names = ["GET " + routes[0], "GET " + routes[0], "GET " + routes[1], "GET", "GET /fail"]
        spans = [s for s in live.wait_spans(*names) if s.name != "GET /healthz"]
        points = live.wait_metric("http.server.request.duration", {"http.route": routes[0]})

    # One SERVER span per request: GoFrame's own middleware made none.
    assert sorted(s.name for s in spans if s.kind == "SERVER") == sorted(names)
    assert all(s.kind == "SERVER" for s in spans)
    users = sorted((s for s in spans if s.name == "GET " + routes[0]), key=lambda s: s.start_ns)
    assert [s.attributes["url.path"] for s in users] == paths[:2]
    assert all(s.attributes["http.route"] == routes[0] for s in users)
    (unmatched,) = [s for s in spans if s.name == "GET"]
    assert unmatched.attributes["http.response.status_code"] == 404 and "http.route" not in unmatched.attributes
    (fail,) = [s for s in spans if s.name == "GET /fail"]
    assert fail.status_code == "ERROR" and fail.attributes["error.type"] == "500"
    series = latest(points, "http.server.request.duration", live.pid)
    assert [p.count for p in series.values() if p.attributes.get("http.route") == routes[0]] == [2]


def test_a_goframe_client_call_is_one_client_and_one_server_span(app: App) -> None:
    with app.running(ROUTER="goframe") as live:
        assert live.get("/front") == (200, b"ok")
        spans = [s for s in live.wait_spans("GET /front", "GET", "GET /users/{id}") if s.name != "GET /healthz"]

    (front,) = [s for s in spans if s.name == "GET /front"]
    (client,) = [s for s in spans if s.kind == "CLIENT"]
    (served,) = [s for s in spans if s.name == "GET /users/{id}"]
    assert client.name == "GET" and client.parent_span_id == front.span_id
    assert served.kind == "SERVER" and served.parent_span_id == client.span_id
    assert front.trace_id == client.trace_id == served.trace_id
    assert len(spans) == 3, [(s.name, s.kind, s.scope) for s in spans]
