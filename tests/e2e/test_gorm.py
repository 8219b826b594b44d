"""gorm end to end, at its oldest supported and newest release, against a
real PostgreSQL: each gorm operation inside a request is an INTERNAL span
named by operation and table under the request's server span, and the SQL it
sent is the database/sql CLIENT span beneath it; a failing operation fails
its span, a record not found does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import build_app
from support.procs import free_port, get, service
from support.services import Server, postgres_database
from support.telemetry import Run

from view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

VERSIONS = {
    "oldest": ["gorm.io/gorm@v1.25.0", "gorm.io/driver/postgres@v1.5.0"],
    "newest": ["gorm.io/gorm@v1.31.2", "gorm.io/driver/postgres@v1.6.3"],
}

MAIN = """package main

import (
	"fmt"
	"net/http"
	"os"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type Product struct {
	ID    uint
	Code  string
	Price int
}

func main() {
	db, err := gorm.Open(postgres.Open(os.Getenv("DSN")), &gorm.Config{})
	if err != nil {
		panic(err)
	}
	if err := db.Migrator().DropTable(&Product{}); err != nil {
		panic(err)
	}
	if err := db.AutoMigrate(&Product{}); err != nil {
		panic(err)
	}
	http.HandleFunc("GET /shop", func(w http.ResponseWriter, r *http.Request) {
		tx := db.WithContext(r.Context())
		tx.Create(&Product{Code: "D42", Price: 100})
		var p Product
		tx.First(&p, "code = ?", "D42")
		tx.Model(&p).Update("Price", 200)
		missing := tx.First(&Product{}, "code = ?", "none").Error
		bad := tx.Exec("SELECT * FROM no_such_table").Error
		tx.Delete(&p)
		fmt.Fprintln(w, p.Code, missing != nil, bad != nil)
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""


@pytest.fixture(scope="module", params=sorted(VERSIONS))
def gorm_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp(f"gorm-{request.param}")
    return build_app(parent, "example.com/shop", {"main.go": MAIN}, VERSIONS[request.param], ("databasesql", "gorm"))


def test_operations_are_spans_over_their_sql(gorm_app: Path, postgres_server: Server, receiver: OtlpReceiver) -> None:
    addr, run = f"127.0.0.1:{free_port()}", Run(receiver)
    db = postgres_database(postgres_server, "gorm")
    dsn = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname={db} sslmode=disable"
    env = {"ADDR": addr, "DSN": dsn, **run.env()}

    with service(gorm_app, env, f"http://{addr}/healthz"):
        status, body, _ = get(f"http://{addr}/shop")
        assert status == 200 and body.split() == [b"D42", b"true", b"true"], body
        spans = run.wait_spans("gorm DELETE products", "GET /shop")

    (request,) = [s for s in spans if s.name == "GET /shop"]
    ops = sorted((s for s in spans if s.parent_span_id == request.span_id), key=lambda s: s.start_ns)
    assert [s.name for s in ops] == ["gorm INSERT products", "gorm SELECT products", "gorm UPDATE products",
                                     "gorm SELECT products", "gorm RAW", "gorm DELETE products"]  # fmt: skip
    for op in ops:
        assert op.kind == "INTERNAL" and op.attributes["db.system.name"] == "postgresql"
        sql = [s for s in spans if s.parent_span_id == op.span_id and s.kind == "CLIENT"]
        assert sql, op.name  # the SQL it sent, beneath it
        assert all(s.attributes["db.system.name"] == "postgresql" for s in sql)
    insert, first, update, missing, raw, delete = ops
    assert insert.attributes["db.operation.name"] == "INSERT" and insert.attributes["db.collection.name"] == "products"
    (insert_sql,) = [s for s in spans if s.parent_span_id == insert.span_id and s.name.startswith("INSERT")]
    assert insert_sql.attributes["db.query.text"].startswith('INSERT INTO "products"')
    assert missing.status_code == "UNSET"  # record not found: an answer
    assert raw.status_code == "ERROR"
    assert [s.status_code for s in ops if s is not raw] == ["UNSET"] * 5
