"""pgx v5 used natively, at its oldest supported and newest release, against
a real PostgreSQL: pool queries, a connection's exec and a batch inside a
request are CLIENT spans under its server span with the database
conventions' attributes, the failing query fails its span; the same driver
through database/sql gets one span per query (databasesql's), not two."""

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

VERSIONS = {"oldest": "github.com/jackc/pgx/v5@v5.5.0", "newest": "github.com/jackc/pgx/v5@v5.12.0"}

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


@pytest.fixture(scope="module", params=sorted(VERSIONS))
def pgx_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp(f"pgx-{request.param}")
    return build_app(parent, "example.com/pgxapp", {"main.go": MAIN}, [VERSIONS[request.param]], ("pgx",))


def test_native_queries_and_batches_are_spans(pgx_app: Path, postgres_server: Server, receiver: OtlpReceiver) -> None:
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    env = {"ADDR": addr, "DSN": f"postgres://postgres@{postgres_server.addr}/postgres?sslmode=disable", **run.env()}

    with service(pgx_app, env, f"http://{addr}/healthz") as proc:
        status, body, _ = get(f"http://{addr}/pgx")
        assert status == 200 and body.split() == [b"42", b"true", b"true", b"true", b"7"], body
        # The server span ends after the client spans, possibly in a later export.
        spans = run.spans(receiver.wait_for(
            lambda got: sum(s.kind == "CLIENT" for s in run.spans(got)) >= 5 and any(s.name == "GET /pgx" for s in run.spans(got)), 30))
        points = run.wait_metric("db.client.operation.duration")

    (request,) = [s for s in spans if s.name == "GET /pgx"]
    calls = sorted((s for s in spans if s.kind == "CLIENT" and s.trace_id == request.trace_id), key=lambda s: s.start_ns)
    assert [s.name for s in calls] == ["SELECT postgres", "CREATE postgres", "BATCH postgres", "SELECT no_such_table",
                                       "SELECT postgres"], [(s.name, s.attributes.get("db.query.text")) for s in calls]  # fmt: skip
    for s in calls:
        assert s.parent_span_id == request.span_id  # the stdlib query too: one span, not two
        assert s.attributes["db.system.name"] == "postgresql" and s.attributes["db.namespace"] == "postgres"
        assert s.attributes["server.address"] == "127.0.0.1" and s.attributes["server.port"] == postgres_server.port
    assert calls[0].attributes["db.query.text"] == "SELECT ? + $1"
    assert calls[3].status_code == "ERROR"
    assert [s.status_code for i, s in enumerate(calls) if i != 3] == ["UNSET"] * 4
    series = latest(points, "db.client.operation.duration", proc.pid).values()
    assert any(p.attributes.get("db.operation.name") == "BATCH" for p in series)
