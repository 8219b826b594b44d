"""httprouter end to end, at its oldest supported and newest release: the
route a Router matched names the request's server span and its
http.server.request.duration series (`GET /users/{id}`, parameters in the
ServeMux form), so ids make no new series; a path no route matches keeps the
method alone."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"fmt"
	"net/http"
	"os"

	"github.com/julienschmidt/httprouter"
)

func main() {
	r := httprouter.New()
	r.GET("/users/:id", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		fmt.Fprint(w, ps.ByName("id"))
	})
	r.HandlerFunc("GET", "/healthz", func(w http.ResponseWriter, req *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), r)
}
"""

app = app_fixture(PluginCase(
    plugins=("nethttp", "httprouter"),
    versions={"oldest": ["github.com/julienschmidt/httprouter@v1.2.0"],
              "newest": ["github.com/julienschmidt/httprouter@v1.3.0"]},
    program={"main.go": MAIN},
))  # fmt: skip


def test_the_route_names_the_span_and_its_metric(app: App) -> None:
    with app.running() as live:
        assert live.get("/users/1") == (200, b"1")
        assert live.get("/users/2") == (200, b"2")
        assert live.get("/nowhere")[0] == 404
        spans = live.wait_spans("GET /users/{id}", "GET /users/{id}", "GET")
        points = live.wait_metric("http.server.request.duration", {"http.route": "/users/{id}"})

    users = [s for s in spans if s.name == "GET /users/{id}"]
    assert [s.attributes["url.path"] for s in sorted(users, key=lambda s: s.start_ns)] == ["/users/1", "/users/2"]
    assert all(s.kind == "SERVER" and s.attributes["http.route"] == "/users/{id}" for s in users)
    (unmatched,) = [s for s in spans if s.name == "GET"]
    assert unmatched.attributes["http.response.status_code"] == 404 and "http.route" not in unmatched.attributes
    series = latest(points, "http.server.request.duration", live.pid)
    (route,) = [p for p in series.values() if p.attributes.get("http.route") == "/users/{id}"]
    assert route.count == 2  # one series for every id
