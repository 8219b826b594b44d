"""database/sql end to end: one program, built once with rulec, talks to a
real PostgreSQL (through lib/pq and pgx's stdlib driver) and a real MariaDB
(through go-sql-driver/mysql) inside an HTTP request; every query, exec,
prepare, statement execution, ping, begin and commit is a CLIENT span under
the request's server span, with the database conventions' attributes, the
failing query fails its span, and db.client.operation.duration counts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from support.metrics import latest
from support.plugin_e2e import App, PluginCase, app_fixture
from support.services import Server, mariadb_dsn, postgres_keywords, postgres_url

from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

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

# database/sql comes with Go (CI runs this file with each Go release it
# tests); the drivers are pinned, and each test picks its own server.
app = app_fixture(PluginCase(
    plugins=("databasesql",),
    versions={"stdlib": ["github.com/lib/pq@v1.12.3", "github.com/jackc/pgx/v5@v5.12.0", "github.com/go-sql-driver/mysql@v1.10.1"]},
    program={"main.go": MAIN},
))  # fmt: skip


@dataclass(frozen=True)
class Case:
    driver: str
    system: str
    namespace: str
    placeholder: str
    dsn: Callable[[Server, str], str]

    @property
    def server_fixture(self) -> str:
        return "mariadb_server" if self.system == "mysql" else "postgres_server"

    def env(self, server: Server) -> dict[str, str]:
        return {"DRIVER": self.driver, "DSN": self.dsn(server, self.namespace), "PLACEHOLDER": self.placeholder}


CASES = {
    "lib-pq": Case("postgres", "postgresql", "postgres", "$1", postgres_keywords),
    "pgx-stdlib": Case("pgx", "postgresql", "postgres", "$1", postgres_url),
    "go-sql-driver-mysql": Case("mysql", "mysql", "test", "?", mariadb_dsn),
}


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Case, Server]:
    c = CASES[request.param]
    return c, request.getfixturevalue(c.server_fixture)


def test_every_operation_is_a_span_under_the_request(app: App, case: tuple[Case, Server]) -> None:
    c, server = case
    # "{operation} {table}", or "{operation} {database}" when there is no one table.
    ns = c.namespace
    names = ["SELECT users", "UPDATE users", f"BEGIN {ns}", "INSERT audit", f"COMMIT {ns}", "PREPARE audit", "SELECT audit",
             f"PING {ns}", f"SELECT {ns}", "SELECT no_such_table"]  # fmt: skip
    with app.running(**c.env(server)) as live:
        status, body = live.get("/work")
        assert status == 200 and body.split() == [b"ann", b"1", b"1", b"true"], body
        spans = live.wait_spans(*names, "GET /work")
        points = live.wait_metric("db.client.operation.duration")

    (server_span,) = [s for s in spans if s.kind == "SERVER" and s.name == "GET /work"]
    db_spans = [s for s in spans if s.kind == "CLIENT" and s.trace_id == server_span.trace_id]
    by_name: dict[str, list[Span]] = {}
    for s in db_spans:
        by_name.setdefault(s.name, []).append(s)
    assert sorted(by_name) == sorted(names), sorted(by_name)
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

    series = latest(points, "db.client.operation.duration", live.pid)
    selects = [p for p in series.values() if p.attributes.get("db.collection.name") == "users" and
               p.attributes.get("db.operation.name") == "SELECT"]  # fmt: skip
    assert selects and selects[0].count >= 1 and selects[0].unit == "s"
    assert selects[0].attributes["db.system.name"] == c.system and "db.query.text" not in selects[0].attributes
    assert any(p.attributes.get("error.type") for p in series.values())


def test_raw_statements_keep_their_literals(app: App, postgres_server: Server) -> None:
    with app.running(**CASES["lib-pq"].env(postgres_server), RULEC_DB_STATEMENT="raw") as live:
        assert live.get("/work")[0] == 200
        spans = live.wait_spans("UPDATE users", "GET /work")
    (update,) = [s for s in spans if s.name == "UPDATE users"]
    assert update.attributes["db.query.text"] == "UPDATE users SET visits = visits + 1 WHERE name = 'ann'"
