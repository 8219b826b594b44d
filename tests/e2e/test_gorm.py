"""gorm end to end, at its oldest supported and newest release, against a
real PostgreSQL: each gorm operation inside a request is an INTERNAL span
named by operation and table under the request's server span, and the SQL it
sent is the database/sql CLIENT span beneath it; a failing operation fails
its span, a record not found does not."""

from __future__ import annotations

import pytest
from support.plugin_e2e import App, Backend, PluginCase, app_fixture
from support.services import Server, postgres_database, postgres_keywords

pytestmark = pytest.mark.e2e

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


def fresh_database_dsn(server: Server) -> str:
    return postgres_keywords(server, postgres_database(server, "gorm"))


app = app_fixture(PluginCase(
    plugins=("databasesql", "gorm"),
    versions={"oldest": ["gorm.io/gorm@v1.25.0", "gorm.io/driver/postgres@v1.5.0"],
              "newest": ["gorm.io/gorm@v1.31.2", "gorm.io/driver/postgres@v1.6.3"]},
    program={"main.go": MAIN},
    server=Backend("postgres_server", "DSN", fresh_database_dsn),
))  # fmt: skip


def test_operations_are_spans_over_their_sql(app: App) -> None:
    with app.running() as live:
        status, body = live.get("/shop")
        assert status == 200 and body.split() == [b"D42", b"true", b"true"], body
        spans = live.wait_spans("gorm INSERT products", "gorm SELECT products", "gorm SELECT products", "gorm UPDATE products",
                                "gorm RAW", "gorm DELETE products", "GET /shop")  # fmt: skip

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
