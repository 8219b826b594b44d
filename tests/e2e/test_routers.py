"""HTTP routers end to end: gin, echo, chi and gorilla/mux, each at its
oldest supported and its newest release. The route each matched names the
request's server span (`GET /users/{id}`, parameters in the ServeMux form)
and http.server.request.duration, so ids make no new series; routes of
mounted sub-routers carry the whole pattern; a handler's error is recorded
on the span."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import build_app
from support.metrics import latest
from support.procs import free_port, get, service
from support.telemetry import Run

from view.receiver import OtlpReceiver
from view.spans import Span

pytestmark = pytest.mark.e2e

VERSIONS = {
    "oldest": ["github.com/gin-gonic/gin@v1.9.0", "github.com/labstack/echo/v4@v4.10.0",
               "github.com/go-chi/chi/v5@v5.0.0", "github.com/gorilla/mux@v1.8.0"],
    "newest": ["github.com/gin-gonic/gin@v1.12.0", "github.com/labstack/echo/v4@v4.16.0",
               "github.com/go-chi/chi/v5@v5.5.0", "github.com/gorilla/mux@v1.8.1"],
}  # fmt: skip

MAIN = """package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/gorilla/mux"
	"github.com/labstack/echo/v4"
)

func ok(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }

func router(name string) http.Handler {
	switch name {
	case "gin":
		gin.SetMode(gin.ReleaseMode)
		g := gin.New()
		g.GET("/users/:id", func(c *gin.Context) { c.String(200, "ok") })
		g.GET("/admin/items/:item", func(c *gin.Context) { c.String(200, "ok") })
		g.GET("/fail", func(c *gin.Context) { c.Error(errors.New("boom")); c.Status(500) })
		g.GET("/healthz", func(c *gin.Context) {})
		return g
	case "echo":
		e := echo.New()
		e.GET("/users/:id", func(c echo.Context) error { return c.String(200, "ok") })
		e.GET("/admin/items/:item", func(c echo.Context) error { return c.String(200, "ok") })
		e.GET("/fail", func(c echo.Context) error { return errors.New("boom") })
		e.GET("/healthz", func(c echo.Context) error { return nil })
		return e
	case "chi":
		r := chi.NewRouter()
		r.Get("/users/{id}", ok)
		admin := chi.NewRouter()
		admin.Get("/items/{item}", ok)
		r.Mount("/admin", admin)
		r.Get("/healthz", ok)
		return r
	default:
		r := mux.NewRouter()
		r.HandleFunc("/users/{id}", ok).Methods("GET")
		r.PathPrefix("/admin").Subrouter().HandleFunc("/items/{item}", ok)
		r.HandleFunc("/healthz", ok)
		return r
	}
}

func main() {
	http.ListenAndServe(os.Getenv("ADDR"), router(os.Getenv("ROUTER")))
}
"""


@pytest.fixture(scope="module", params=sorted(VERSIONS))
def router_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp(f"routers-{request.param}")
    return build_app(parent, "example.com/routers", {"main.go": MAIN}, VERSIONS[request.param], ("chi", "echo", "gin", "gorillamux"))


@pytest.mark.parametrize("router", ["gin", "echo", "chi", "gorillamux"])
def test_routes_name_server_spans_and_metrics(router_app: Path, router: str, receiver: OtlpReceiver) -> None:
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    env = {"ADDR": addr, "ROUTER": router, **run.env()}
    paths = ["/users/1", "/users/2", "/users/3", "/admin/items/9"]
    fails = router in ("gin", "echo")

    def ours(spans: list[Span]) -> list[Span]:
        return [s for s in run.spans(spans) if s.kind == "SERVER"]

    with service(router_app, env, f"http://{addr}/healthz") as proc:
        for p in paths:
            assert get(f"http://{addr}{p}")[0] == 200
        if fails:
            assert get(f"http://{addr}/fail")[0] == 500
        want = len(paths) + (1 if fails else 0)
        spans = receiver.wait_for(lambda got: sum(s.name != "GET /healthz" for s in ours(got)) >= want, 30)
        points = receiver.wait_for_metrics(
            lambda got: any(p.name == "http.server.request.duration" and p.resource.get("test.run") == run.id
                            and p.attributes.get("http.route") == "/admin/items/{item}" for p in got), 30)  # fmt: skip

    by_path = {s.attributes["url.path"]: s for s in ours(spans)}
    for p in ("/users/1", "/users/2", "/users/3"):
        assert by_path[p].name == "GET /users/{id}" and by_path[p].attributes["http.route"] == "/users/{id}"
    assert by_path["/admin/items/9"].name == "GET /admin/items/{item}"
    series = latest(points, "http.server.request.duration", proc.pid)
    users = [p for p in series.values() if p.attributes.get("http.route") == "/users/{id}"]
    assert len(users) == 1 and users[0].count == 3  # one series, whatever the id
    if fails:
        failed = by_path["/fail"]
        assert failed.status_code == "ERROR"
        assert any(name == "exception" and attrs.get("exception.message") == "boom" for name, attrs in failed.events)
