"""HTTP routers end to end: gin, echo, chi and gorilla/mux, each at its
oldest supported and its newest release. The route each matched names the
request's server span (`GET /users/{id}`, parameters in the ServeMux form)
and http.server.request.duration, so ids make no new series; routes of
mounted sub-routers carry the whole pattern; a handler's error is recorded
on the span."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

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

app = app_fixture(PluginCase(
    plugins=("chi", "echo", "gin", "gorillamux"),
    versions={"oldest": ["github.com/gin-gonic/gin@v1.9.0", "github.com/labstack/echo/v4@v4.10.0",
                         "github.com/go-chi/chi/v5@v5.0.0", "github.com/gorilla/mux@v1.8.0"],
              "newest": ["github.com/gin-gonic/gin@v1.12.0", "github.com/labstack/echo/v4@v4.16.0",
                         "github.com/go-chi/chi/v5@v5.5.0", "github.com/gorilla/mux@v1.8.1"]},
    program={"main.go": MAIN},
))  # fmt: skip


@pytest.mark.parametrize("router", ["gin", "echo", "chi", "gorillamux"])
def test_routes_name_server_spans_and_metrics(app: App, router: str) -> None:
    paths = ["/users/1", "/users/2", "/users/3", "/admin/items/9"]
    fails = router in ("gin", "echo")

    with app.running(ROUTER=router) as live:
        for p in paths:
            assert live.get(p)[0] == 200
        if fails:
            assert live.get("/fail")[0] == 500
        spans = live.wait_spans(*["GET /users/{id}"] * 3, "GET /admin/items/{item}", *(["GET /fail"] if fails else []))
        points = live.wait_metric("http.server.request.duration", where={"http.route": "/admin/items/{item}"})

    by_path = {s.attributes["url.path"]: s for s in spans if s.kind == "SERVER"}
    for p in ("/users/1", "/users/2", "/users/3"):
        assert by_path[p].name == "GET /users/{id}" and by_path[p].attributes["http.route"] == "/users/{id}"
    assert by_path["/admin/items/9"].name == "GET /admin/items/{item}"
    series = latest(points, "http.server.request.duration", live.pid)
    users = [p for p in series.values() if p.attributes.get("http.route") == "/users/{id}"]
    assert len(users) == 1 and users[0].count == 3  # one series, whatever the id
    if fails:
        failed = by_path["/fail"]
        assert failed.status_code == "ERROR"
        assert any(name == "exception" and attrs.get("exception.message") == "boom" for name, attrs in failed.events)
