"""pgx v5 used natively, at its oldest supported and newest release, against
a real PostgreSQL: pool queries, a connection's exec and a batch inside a
request are CLIENT spans under its server span with the database
conventions' attributes, the failing query fails its span; the same driver
through database/sql gets one span per query (databasesql's), not two."""

from __future__ import annotations

import pytest
from support.metrics import latest
from support.plugin_e2e import App, Backend, PluginCase, app_fixture
from support.services import postgres_url

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	ctx := context.Background()
	dsn := os.Getenv("DSN")
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		panic(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		panic(err)
	}
	std, err := sql.Open("pgx", dsn)
	if err != nil {
		panic(err)
	}
	http.HandleFunc("GET /pgx", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var n int
		pool.QueryRow(ctx, "SELECT 40 + $1", 2).Scan(&n)
		_, err := conn.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS seen (note text)")
		batch := &pgx.Batch{}
		batch.Queue("INSERT INTO seen VALUES ('a')")
		batch.Queue("SELECT count(*) FROM seen")
		berr := conn.SendBatch(ctx, batch).Close()
		_, bad := pool.Exec(ctx, "SELECT * FROM no_such_table")
		var m int
		std.QueryRowContext(ctx, "SELECT 7").Scan(&m)
		fmt.Fprintln(w, n, err == nil, berr == nil, bad != nil, m)
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""

app = app_fixture(PluginCase(
    plugins=("pgx",),
    versions={"oldest": ["github.com/jackc/pgx/v5@v5.5.0"], "newest": ["github.com/jackc/pgx/v5@v5.12.0"]},
    program={"main.go": MAIN},
    server=Backend("postgres_server", "DSN", postgres_url),
))  # fmt: skip


def test_native_queries_and_batches_are_spans(app: App) -> None:
    with app.running() as live:
        status, body = live.get("/pgx")
        assert status == 200 and body.split() == [b"42", b"true", b"true", b"true", b"7"], body
        spans = live.wait_spans("SELECT postgres", "CREATE postgres", "BATCH postgres", "SELECT no_such_table", "SELECT postgres",
                                "GET /pgx")  # fmt: skip
        points = live.wait_metric("db.client.operation.duration")

    (request,) = [s for s in spans if s.name == "GET /pgx"]
    calls = sorted((s for s in spans if s.kind == "CLIENT" and s.trace_id == request.trace_id), key=lambda s: s.start_ns)
    assert [s.name for s in calls] == ["SELECT postgres", "CREATE postgres", "BATCH postgres", "SELECT no_such_table",
                                       "SELECT postgres"], [(s.name, s.attributes.get("db.query.text")) for s in calls]  # fmt: skip
    for s in calls:
        assert s.parent_span_id == request.span_id  # the stdlib query too: one span, not two
        assert s.attributes["db.system.name"] == "postgresql" and s.attributes["db.namespace"] == "postgres"
        assert s.attributes["server.address"] == "127.0.0.1" and s.attributes["server.port"] == app.server.port
    assert calls[0].attributes["db.query.text"] == "SELECT ? + $1"
    assert calls[3].status_code == "ERROR"
    assert [s.status_code for i, s in enumerate(calls) if i != 3] == ["UNSET"] * 4
    series = latest(points, "db.client.operation.duration", live.pid).values()
    assert any(p.attributes.get("db.operation.name") == "BATCH" for p in series)
