"""gomemcache end to end, at the oldest supported commit and the newest (it
has no tagged releases), against a real memcached: each command a request
sends is a CLIENT span under its server span (the client takes no context:
the goroutine's carries it), a miss is not an error, a refused add is, and
db.client.operation.duration counts them."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, Backend, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"fmt"
	"net/http"
	"os"

	"github.com/bradfitz/gomemcache/memcache"
)

func main() {
	mc := memcache.New(os.Getenv("MEMCACHED_ADDR"))
	http.HandleFunc("GET /cache", func(w http.ResponseWriter, r *http.Request) {
		mc.Set(&memcache.Item{Key: "views", Value: []byte("1")})
		item, _ := mc.Get("views")
		_, miss := mc.Get("no-such-key")
		refused := mc.Add(&memcache.Item{Key: "views", Value: []byte("2")}) // exists: not stored
		n, _ := mc.Increment("views", 41)
		many, _ := mc.GetMulti([]string{"views", "no-such-key"})
		mc.Delete("views")
		fmt.Fprintln(w, string(item.Value), miss == memcache.ErrCacheMiss, refused != nil, n, len(many))
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""

app = app_fixture(PluginCase(
    plugins=("memcache",),
    versions={"oldest": ["github.com/bradfitz/gomemcache@v0.0.0-20230905024940-24af94b03874"],
              "newest": ["github.com/bradfitz/gomemcache@v0.0.0-20260422231931-4d751bb6e37c"]},
    program={"main.go": MAIN},
    server=Backend("memcached_server", "MEMCACHED_ADDR"),
))  # fmt: skip


def test_commands_are_spans(app: App) -> None:
    with app.running() as live:
        status, body = live.get("/cache")
        assert status == 200 and body.split() == [b"1", b"true", b"true", b"42", b"1"], body
        spans = live.wait_spans("SET", "GET", "GET", "GET", "ADD", "INCR", "DELETE", "GET /cache")
        points = live.wait_metric("db.client.operation.duration")

    (request,) = [s for s in spans if s.name == "GET /cache"]
    calls = sorted((s for s in spans if s.kind == "CLIENT"), key=lambda s: s.start_ns)
    assert [s.name for s in calls] == ["SET", "GET", "GET", "ADD", "INCR", "GET", "DELETE"]
    for s in calls:
        assert s.parent_span_id == request.span_id and s.attributes["db.system.name"] == "memcached"
    assert calls[0].attributes["db.query.text"] == "SET views"
    assert [s.status_code for s in calls] == ["UNSET", "UNSET", "UNSET", "ERROR", "UNSET", "UNSET", "UNSET"]
    series = latest(points, "db.client.operation.duration", live.pid).values()
    (gets,) = [p for p in series if p.attributes.get("db.operation.name") == "GET"]
    assert gets.count == 3
