"""gomemcache end to end, at the oldest supported commit and the newest (it
has no tagged releases), against a real memcached: each command a request
sends is a CLIENT span under its server span (the client takes no context:
the goroutine's carries it), a miss is not an error, a refused add is, and
db.client.operation.duration counts them."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import build_app
from support.metrics import latest
from support.procs import free_port, get, service
from support.services import Server
from support.telemetry import Run

from view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

VERSIONS = {
    "oldest": "github.com/bradfitz/gomemcache@v0.0.0-20230905024940-24af94b03874",
    "newest": "github.com/bradfitz/gomemcache@v0.0.0-20260422231931-4d751bb6e37c",
}

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


@pytest.fixture(scope="module", params=sorted(VERSIONS))
def memcache_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp(f"memcache-{request.param}")
    return build_app(parent, "example.com/mc", {"main.go": MAIN}, [VERSIONS[request.param]], ("memcache",))


def test_commands_are_spans(memcache_app: Path, memcached_server: Server, receiver: OtlpReceiver) -> None:
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    env = {"ADDR": addr, "MEMCACHED_ADDR": memcached_server.addr, **run.env()}

    with service(memcache_app, env, f"http://{addr}/healthz") as proc:
        status, body, _ = get(f"http://{addr}/cache")
        assert status == 200 and body.split() == [b"1", b"true", b"true", b"42", b"1"], body
        spans = run.wait_spans("DELETE", "GET /cache")
        points = run.wait_metric("db.client.operation.duration")

    (request,) = [s for s in spans if s.name == "GET /cache"]
    calls = sorted((s for s in spans if s.kind == "CLIENT"), key=lambda s: s.start_ns)
    assert [s.name for s in calls] == ["SET", "GET", "GET", "ADD", "INCR", "GET", "DELETE"]
    for s in calls:
        assert s.parent_span_id == request.span_id and s.attributes["db.system.name"] == "memcached"
    assert calls[0].attributes["db.query.text"] == "SET views"
    assert [s.status_code for s in calls] == ["UNSET", "UNSET", "UNSET", "ERROR", "UNSET", "UNSET", "UNSET"]
    series = latest(points, "db.client.operation.duration", proc.pid).values()
    (gets,) = [p for p in series if p.attributes.get("db.operation.name") == "GET"]
    assert gets.count == 3
