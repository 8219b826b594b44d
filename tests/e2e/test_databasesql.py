"""database/sql end to end: one program, built once with rulec, talks to a
real PostgreSQL (through lib/pq and pgx's stdlib driver) and a real MariaDB
(through go-sql-driver/mysql) inside an HTTP request; every query, exec,
prepare, statement execution, ping, begin and commit is a CLIENT span under
the request's server span, with the database conventions' attributes, the
failing query fails its span, and db.client.operation.duration counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from support.gomod import build_app
from support.metrics import latest
from support.procs import free_port, get, service
from support.services import Server
from support.telemetry import Run

from view.receiver import OtlpReceiver
from view.spans import Span

pytestmark = pytest.mark.e2e

DRIVERS = [
    "github.com/lib/pq@v1.12.3",
    "github.com/jackc/pgx/v5@v5.12.0",
    "github.com/go-sql-driver/mysql@v1.10.1",
]

MAIN = """package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"strings"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/lib/pq"
)

func main() {
	db, err := sql.Open(os.Getenv("DRIVER"), os.Getenv("DSN"))
	if err != nil {
		panic(err)
	}
	p := os.Getenv("PLACEHOLDER") // $1 or ?
	for _, ddl := range []string{
		"DROP TABLE IF EXISTS users", "DROP TABLE IF EXISTS audit",
		"CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), visits INT)",
		"CREATE TABLE audit (note VARCHAR(20))",
		"INSERT INTO users VALUES (1, 'ann', 0)",
	} {
		if _, err := db.Exec(ddl); err != nil {
			panic(err)
		}
	}
	http.HandleFunc("GET /work", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var name string
		must(db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = "+p, 1).Scan(&name))
		_, err := db.ExecContext(ctx, "UPDATE users SET visits = visits + 1 WHERE name = 'ann'")
		must(err)
		tx, err := db.BeginTx(ctx, nil)
		must(err)
		defer tx.Rollback() // after Commit: does nothing, and gets no span
		_, err = tx.ExecContext(ctx, "INSERT INTO audit (note) VALUES ('seen')")
		must(err)
		must(tx.Commit())
		stmt, err := db.PrepareContext(ctx, "SELECT count(*) FROM audit")
		must(err)
		var n int
		must(stmt.QueryRowContext(ctx).Scan(&n))
		stmt.Close()
		must(db.PingContext(ctx))
		// No context at all: the goroutine's (the request's) parents it.
		var one int
		must(db.QueryRow("SELECT 1").Scan(&one))
		_, err = db.QueryContext(ctx, "SELECT * FROM no_such_table")
		fmt.Fprintln(w, name, n, one, err != nil)
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}

func must(err error) {
	if err != nil && !strings.Contains(err.Error(), "no_such_table") {
		panic(err)
	}
}
"""


@pytest.fixture(scope="module")
def sql_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("sqlapp")
    return build_app(parent, "example.com/sqlapp", {"main.go": MAIN}, DRIVERS, ("databasesql",))


@dataclass(frozen=True)
class Case:
    driver: str
    system: str
    namespace: str
    placeholder: str

    def dsn(self, server: Server) -> str:
        if self.driver == "mysql":
            return f"root@tcp({server.addr})/{self.namespace}"
        if self.driver == "postgres":
            return f"host=127.0.0.1 port={server.port} user=postgres dbname={self.namespace} sslmode=disable"
        return f"postgres://postgres@{server.addr}/{self.namespace}?sslmode=disable"


CASES = {
    "lib-pq": Case("postgres", "postgresql", "postgres", "$1"),
    "pgx-stdlib": Case("pgx", "postgresql", "postgres", "$1"),
    "go-sql-driver-mysql": Case("mysql", "mysql", "test", "?"),
}


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Case, Server]:
    c = CASES[request.param]
    server = request.getfixturevalue("mariadb_server" if c.system == "mysql" else "postgres_server")
    return c, server


def test_every_operation_is_a_span_under_the_request(sql_app: Path, case: tuple[Case, Server], receiver: OtlpReceiver) -> None:
    c, server = case
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    env = {"ADDR": addr, "DRIVER": c.driver, "DSN": c.dsn(server), "PLACEHOLDER": c.placeholder, **run.env()}

    with service(sql_app, env, f"http://{addr}/healthz") as proc:
        status, body, _ = get(f"http://{addr}/work")
        assert status == 200 and body.split() == [b"ann", b"1", b"1", b"true"], body
        spans = run.wait_spans("SELECT no_such_table", "GET /work")
        points = run.wait_metric("db.client.operation.duration")

    (server_span,) = [s for s in spans if s.kind == "SERVER" and s.name == "GET /work"]
    db_spans = [s for s in spans if s.kind == "CLIENT" and s.trace_id == server_span.trace_id]
    by_name: dict[str, list[Span]] = {}
    for s in db_spans:
        by_name.setdefault(s.name, []).append(s)
    # "{operation} {table}", or "{operation} {database}" when there is no one table.
    ns = c.namespace
    assert sorted(by_name) == sorted(
        ["SELECT users", "UPDATE users", f"BEGIN {ns}", "INSERT audit", f"COMMIT {ns}", "PREPARE audit", "SELECT audit",
         f"PING {ns}", f"SELECT {ns}", "SELECT no_such_table"]
    ), sorted(by_name)  # fmt: skip
    for s in db_spans:
        assert s.parent_span_id == server_span.span_id, s.name
        assert s.attributes["db.system.name"] == c.system
        assert s.attributes["db.namespace"] == c.namespace
        assert s.attributes["server.address"] == "127.0.0.1" and s.attributes["server.port"] == server.port
    select = by_name["SELECT users"][0]
    assert select.attributes["db.query.text"] == f"SELECT name FROM users WHERE id = {c.placeholder}"
    assert select.attributes["db.operation.name"] == "SELECT" and select.attributes["db.collection.name"] == "users"
    assert by_name["UPDATE users"][0].attributes["db.query.text"] == "UPDATE users SET visits = visits + ? WHERE name = ?"
    assert by_name["SELECT audit"][0].attributes["db.query.text"] == "SELECT count(*) FROM audit"
    failed = by_name["SELECT no_such_table"][0]
    assert failed.status_code == "ERROR" and "error.type" in failed.attributes
    assert all(s.status_code != "ERROR" for s in db_spans if s is not failed)
    assert not [s for s in spans if s.name == "ROLLBACK"]

    series = latest(points, "db.client.operation.duration", proc.pid)
    selects = [p for p in series.values() if p.attributes.get("db.collection.name") == "users" and
               p.attributes.get("db.operation.name") == "SELECT"]  # fmt: skip
    assert selects and selects[0].count >= 1 and selects[0].unit == "s"
    assert selects[0].attributes["db.system.name"] == c.system and "db.query.text" not in selects[0].attributes
    assert any(p.attributes.get("error.type") for p in series.values())


def test_raw_statements_keep_their_literals(sql_app: Path, postgres_server: Server, receiver: OtlpReceiver) -> None:
    c = CASES["lib-pq"]
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    env = {"ADDR": addr, "DRIVER": c.driver, "DSN": c.dsn(postgres_server), "PLACEHOLDER": c.placeholder,
           "RULEC_DB_STATEMENT": "raw", **run.env()}  # fmt: skip
    with service(sql_app, env, f"http://{addr}/healthz"):
        assert get(f"http://{addr}/work")[0] == 200
        spans = run.wait_spans("UPDATE users", "GET /work")
    (update,) = [s for s in spans if s.name == "UPDATE users"]
    assert update.attributes["db.query.text"] == "UPDATE users SET visits = visits + 1 WHERE name = 'ann'"
