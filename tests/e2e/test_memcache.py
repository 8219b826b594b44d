"""gomemcache end to end, at the oldest supported commit and the newest (it
has no tagged releases), against a real memcached: each command a request
sends is a CLIENT span under its server span (the client takes no context:
the goroutine's carries it), a miss is not an error, a refused add is, and
db.client.operation.duration counts them."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from support.gomod import go, rulec, write_module
from support.metrics import latest
from support.procs import free_port, get, service
from support.services import Server

from view.receiver import OtlpReceiver
from view.spans import Span

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
    root = write_module(tmp_path_factory.mktemp(f"memcache-{request.param}") / "app", "example.com/mc", {"main.go": MAIN})
    for args in (["get", VERSIONS[request.param]], ["mod", "tidy"]):
        proc = go(*args, cwd=root)
        assert proc.returncode == 0, proc.stderr
    proc = rulec("build", "-o", str(root / "app"), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "memcache" in proc.stderr
    return root / "app"


def test_commands_are_spans(memcache_app: Path, memcached_server: Server, receiver: OtlpReceiver) -> None:
    addr, run = f"127.0.0.1:{free_port()}", uuid.uuid4().hex
    env = {"ADDR": addr, "MEMCACHED_ADDR": memcached_server.addr, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
           "OTEL_BSP_SCHEDULE_DELAY": "50", "OTEL_METRIC_EXPORT_INTERVAL": "200",
           "OTEL_RESOURCE_ATTRIBUTES": f"test.run={run}"}  # fmt: skip

    def ours(spans: list[Span]) -> list[Span]:
        return [s for s in spans if s.resource.get("test.run") == run]

    with service(memcache_app, env, f"http://{addr}/healthz") as proc:
        status, body, _ = get(f"http://{addr}/cache")
        assert status == 200 and body.split() == [b"1", b"true", b"true", b"42", b"1"], body
        spans = ours(receiver.wait_for(lambda got: any(s.name == "DELETE" for s in ours(got)), 30))
        points = receiver.wait_for_metrics(
            lambda got: any(p.name == "db.client.operation.duration" and p.resource.get("test.run") == run for p in got), 30
        )

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
