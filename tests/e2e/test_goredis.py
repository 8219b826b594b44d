"""go-redis end to end, v9 and v8, each at its oldest supported and newest
release, against a real redis-server: every command and pipeline a request
sends is a CLIENT span under its server span, named by the command, with the
conventions' attributes and no values; a missing key is not an error, a
wrong-type command is; db.client.operation.duration counts them."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, Backend, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"context"
	"fmt"
	"net/http"
	"os"

	v8 "github.com/go-redis/redis/v8"
	"github.com/redis/go-redis/v9"
)

// client is what both major versions offer the handler.
type client interface {
	set(ctx context.Context, k, v string) error
	get(ctx context.Context, k string) (string, error)
	incr(ctx context.Context, k string) error
	pipeline(ctx context.Context, k string) error
}

type c9 struct{ *redis.Client }

func (c c9) set(ctx context.Context, k, v string) error { return c.Set(ctx, k, v, 0).Err() }
func (c c9) get(ctx context.Context, k string) (string, error) { return c.Get(ctx, k).Result() }
func (c c9) incr(ctx context.Context, k string) error { return c.Incr(ctx, k).Err() }
func (c c9) pipeline(ctx context.Context, k string) error {
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error { p.Get(ctx, k); p.Exists(ctx, k); return nil })
	return err
}

type c8 struct{ *v8.Client }

func (c c8) set(ctx context.Context, k, v string) error { return c.Set(ctx, k, v, 0).Err() }
func (c c8) get(ctx context.Context, k string) (string, error) { return c.Get(ctx, k).Result() }
func (c c8) incr(ctx context.Context, k string) error { return c.Incr(ctx, k).Err() }
func (c c8) pipeline(ctx context.Context, k string) error {
	_, err := c.Pipelined(ctx, func(p v8.Pipeliner) error { p.Get(ctx, k); p.Exists(ctx, k); return nil })
	return err
}

func main() {
	addr := os.Getenv("REDIS_ADDR")
	clients := map[string]client{
		"v9": c9{redis.NewClient(&redis.Options{Addr: addr, DB: 3})},
		"v8": c8{v8.NewClient(&v8.Options{Addr: addr, DB: 3})},
	}
	http.HandleFunc("GET /cache/{v}", func(w http.ResponseWriter, r *http.Request) {
		c, ctx, key := clients[r.PathValue("v")], r.Context(), "user:"+r.PathValue("v")
		if err := c.set(ctx, key, "secret-value"); err != nil {
			panic(err)
		}
		got, _ := c.get(ctx, key)
		_, missing := c.get(ctx, "no-such-key") // redis.Nil: an answer, not a failure
		wrongType := c.incr(ctx, key)           // WRONGTYPE: a failure
		fmt.Fprintln(w, got, missing != nil, wrongType != nil, c.pipeline(ctx, key) == nil)
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""

app = app_fixture(PluginCase(
    plugins=("goredis", "goredisv8"),
    versions={"oldest": ["github.com/redis/go-redis/v9@v9.0.0", "github.com/go-redis/redis/v8@v8.11.0"],
              "newest": ["github.com/redis/go-redis/v9@v9.23.0", "github.com/go-redis/redis/v8@v8.11.5"]},
    program={"main.go": MAIN},
    server=Backend("redis_server", "REDIS_ADDR"),
))  # fmt: skip


@pytest.mark.parametrize("major", ["v9", "v8"])
def test_commands_and_pipelines_are_spans(app: App, major: str) -> None:
    with app.running() as live:
        status, body = live.get(f"/cache/{major}")
        assert status == 200 and body.split() == [b"secret-value", b"true", b"true", b"true"], body
        spans = live.wait_spans("SET", "GET", "GET", "INCR", "PIPELINE", "GET /cache/{v}")
        points = live.wait_metric("db.client.operation.duration")

    (server,) = [s for s in spans if s.kind == "SERVER" and s.name == "GET /cache/{v}"]
    clients = [s for s in spans if s.kind == "CLIENT"]
    commands = sorted((s for s in clients if s.parent_span_id == server.span_id), key=lambda s: s.start_ns)
    assert [s.name for s in commands] == ["SET", "GET", "GET", "INCR", "PIPELINE"]
    # A new connection's set-up (HELLO, SELECT...) runs inside the first
    # command that needs it, and shows there.
    ids = {s.span_id for s in commands}
    assert all(s.parent_span_id in ids for s in clients if s not in commands)
    for s in clients:
        assert s.trace_id == server.trace_id
        assert s.attributes["db.system.name"] == "redis" and s.attributes["db.namespace"] == "3"
        assert s.attributes["server.address"] == "127.0.0.1" and s.attributes["server.port"] == app.server.port
        assert "secret-value" not in str(s.attributes)
    by_name = {s.name: s for s in commands}
    assert by_name["SET"].attributes["db.query.text"] == f"SET user:{major} ?"
    assert by_name["SET"].attributes["db.operation.name"] == "SET"
    assert by_name["PIPELINE"].attributes["db.query.text"] == "GET EXISTS"
    assert by_name["INCR"].status_code == "ERROR" and "error.type" in by_name["INCR"].attributes
    assert [s.status_code for s in commands if s.name == "GET"] == ["UNSET", "UNSET"]  # a miss is no error

    series = latest(points, "db.client.operation.duration", live.pid).values()
    gets = [p for p in series if p.attributes.get("db.operation.name") == "GET"]
    assert gets and gets[0].count == 2 and gets[0].attributes["db.system.name"] == "redis"
    assert any(p.attributes.get("db.operation.name") == "INCR" and p.attributes.get("error.type") for p in series)
