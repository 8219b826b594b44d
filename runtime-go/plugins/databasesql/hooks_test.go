package databasesql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// The helpers below play the wrappers rulec generates: the before hook with
// the target's arguments (pointers where the hook may replace them), the
// real database/sql call, the after hook with its results. The *DC
// functions the rules name are unexported; the exported methods above them
// are what the test can call, with the same DB, context and statement.

func open(driverName, dsn string) (*sql.DB, error) {
	st := OpenBefore(driverName, dsn)
	db, err := sql.Open(driverName, dsn)
	OpenAfter(st, db, err)
	return db, err
}

func query(ctx context.Context, db *sql.DB, q string, args ...any) error {
	st := QueryBefore(db, &ctx, nil, nil, nil, q, args)
	rows, err := db.QueryContext(ctx, q, args...)
	QueryAfter(st, rows, err)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	return rows.Close()
}

func exec(ctx context.Context, db *sql.DB, run func(context.Context, string, ...any) (sql.Result, error), q string, args ...any) error {
	st := ExecBefore(db, &ctx, nil, nil, q, args)
	res, err := run(ctx, q, args...)
	ExecAfter(st, res, err)
	return err
}

func begin(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	st := BeginBefore(db, ctx, nil, nil, nil)
	tx, err := db.BeginTx(ctx, nil)
	BeginAfter(st, tx, err)
	return tx, err
}

func commit(tx *sql.Tx) error {
	st := CommitBefore(tx)
	err := tx.Commit()
	TxEndAfter(st, err)
	return err
}

func rollback(tx *sql.Tx) error {
	st := RollbackBefore(tx)
	err := tx.Rollback()
	TxEndAfter(st, err)
	return err
}

func prepare(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	st := PrepareBefore(db, ctx, nil, nil, nil, q)
	stmt, err := db.PrepareContext(ctx, q)
	PrepareAfter(st, stmt, err)
	return stmt, err
}

func stmtQuery(ctx context.Context, stmt *sql.Stmt, args ...any) error {
	st := StmtQueryBefore(stmt, &ctx, args)
	rows, err := stmt.QueryContext(ctx, args...)
	QueryAfter(st, rows, err)
	if err != nil {
		return err
	}
	return rows.Close()
}

func stmtExec(ctx context.Context, stmt *sql.Stmt, args ...any) error {
	st := StmtExecBefore(stmt, &ctx, args)
	res, err := stmt.ExecContext(ctx, args...)
	ExecAfter(st, res, err)
	return err
}

func ping(ctx context.Context, db *sql.DB) error {
	st := PingBefore(db, ctx, nil, nil)
	err := db.PingContext(ctx)
	PingAfter(st, err)
	return err
}

var errNoTable = errors.New(`relation "no_such_table" does not exist`)

// shop answers like a small database: one user, and a table that is missing.
func shop(c coretest.SQLCall) coretest.SQLResult {
	switch c.Query {
	case "SELECT name FROM users WHERE id = $1":
		return coretest.SQLResult{Columns: []string{"name"}, Rows: [][]driver.Value{{"ann"}}}
	case "SELECT * FROM no_such_table":
		return coretest.SQLResult{Err: errNoTable}
	}
	return coretest.SQLResult{RowsAffected: 1}
}

func newShop(t *testing.T, respond func(coretest.SQLCall) coretest.SQLResult) (*coretest.SQLDriver, *sql.DB) {
	t.Helper()
	d := coretest.NewSQLDriver(respond)
	d.Register(t, "postgres") // the name lib/pq registers: db.system.name postgresql
	db, err := open("postgres", "postgres://app:secret@db.example:6543/shop?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return d, db
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// spanIDOf is the span a context handed to the driver carries.
func spanIDOf(ctx context.Context) trace.SpanID {
	return trace.SpanContextFromContext(ctx).SpanID()
}

func TestEveryOperationIsAClientSpanUnderTheCaller(t *testing.T) {
	rec := coretest.NewRecorder(t)
	d, db := newShop(t, shop)
	ctx, request := core.Start(context.Background(), "GET /work", trace.SpanKindServer)

	must(t, query(ctx, db, "SELECT name FROM users WHERE id = $1", 1))
	must(t, exec(ctx, db, db.ExecContext, "UPDATE users SET visits = visits + 1 WHERE name = 'ann'"))
	tx, err := begin(ctx, db)
	must(t, err)
	must(t, exec(ctx, db, tx.ExecContext, "INSERT INTO audit (note) VALUES ('seen')"))
	must(t, commit(tx))
	// The usual deferred Rollback, after Commit: it did nothing, and gets no span.
	if err := rollback(tx); !errors.Is(err, sql.ErrTxDone) {
		t.Fatalf("rollback after commit: %v", err)
	}
	stmt, err := prepare(ctx, db, "SELECT count(*) FROM audit WHERE note = $1")
	must(t, err)
	must(t, stmtQuery(ctx, stmt, "seen"))
	must(t, stmt.Close())
	must(t, ping(ctx, db))
	if err := query(ctx, db, "SELECT * FROM no_such_table"); !errors.Is(err, errNoTable) {
		t.Fatalf("query of a missing table: %v", err)
	}
	request.End()

	spans := rec.Ended()
	var names []string
	for _, s := range spans {
		if s.SpanKind() == trace.SpanKindClient {
			names = append(names, s.Name())
		}
	}
	want := []string{"SELECT users", "UPDATE users", "BEGIN shop", "INSERT audit", "COMMIT shop",
		"PREPARE audit", "SELECT audit", "PING shop", "SELECT no_such_table"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("client spans %v, want %v", names, want)
	}
	for _, s := range spans {
		if s.SpanKind() != trace.SpanKindClient {
			continue
		}
		if s.Parent().SpanID() != request.SpanContext().SpanID() || s.SpanContext().TraceID() != request.SpanContext().TraceID() {
			t.Errorf("%s is not a child of the caller's span", s.Name())
		}
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
			"db.system.name": "postgresql", "db.namespace": "shop",
			"server.address": "db.example", "server.port": int64(6543),
		})
		if s.Name() != "SELECT no_such_table" && s.Status().Code != codes.Unset {
			t.Errorf("%s status %v", s.Name(), s.Status())
		}
	}

	sel := coretest.FindSpan(t, spans, "SELECT users", trace.SpanKindClient)
	coretest.CheckAttrs(t, sel.Name(), coretest.Attrs(sel), map[string]any{
		"db.operation.name": "SELECT", "db.collection.name": "users",
		"db.query.text": "SELECT name FROM users WHERE id = $1",
	})
	upd := coretest.FindSpan(t, spans, "UPDATE users", trace.SpanKindClient)
	coretest.CheckAttrs(t, upd.Name(), coretest.Attrs(upd), map[string]any{
		"db.query.text": "UPDATE users SET visits = visits + ? WHERE name = ?", // no values
	})
	prep := coretest.FindSpan(t, spans, "PREPARE audit", trace.SpanKindClient)
	coretest.CheckAttrs(t, prep.Name(), coretest.Attrs(prep), map[string]any{"db.operation.name": "PREPARE"})
	// The statement's executions carry the text it was prepared with.
	exe := coretest.FindSpan(t, spans, "SELECT audit", trace.SpanKindClient)
	coretest.CheckAttrs(t, exe.Name(), coretest.Attrs(exe), map[string]any{
		"db.query.text": "SELECT count(*) FROM audit WHERE note = $1", "db.operation.name": "SELECT",
	})
	for _, name := range []string{"BEGIN shop", "COMMIT shop", "PING shop"} {
		s := coretest.FindSpan(t, spans, name, trace.SpanKindClient)
		coretest.CheckAttrs(t, name, coretest.Attrs(s), map[string]any{"db.query.text": nil, "db.collection.name": nil})
	}
	if len(coretest.SpansNamed(spans, "ROLLBACK shop")) != 0 {
		t.Error("a rollback after commit got a span")
	}
	commitSpan := coretest.FindSpan(t, spans, "COMMIT shop", trace.SpanKindClient)
	insert := coretest.FindSpan(t, spans, "INSERT audit", trace.SpanKindClient)
	if commitSpan.StartTime().Before(insert.EndTime()) {
		t.Error("the commit span starts before the statement it commits ended")
	}

	failed := coretest.FindSpan(t, spans, "SELECT no_such_table", trace.SpanKindClient)
	if failed.Status().Code != codes.Error || failed.Status().Description != errNoTable.Error() {
		t.Errorf("failed query status %v", failed.Status())
	}
	coretest.CheckAttrs(t, failed.Name(), coretest.Attrs(failed), map[string]any{"error.type": "*errors.errorString"})
	if ev := failed.Events(); len(ev) != 1 || ev[0].Name != "exception" {
		t.Errorf("failed query events %v, want one exception", ev)
	}

	// The driver ran each query and exec under its span: what it traces
	// itself (pgx's stdlib) knows it is part of the operation.
	byQuery := map[string]sdktrace.ReadOnlySpan{
		"SELECT name FROM users WHERE id = $1":                    sel,
		"UPDATE users SET visits = visits + 1 WHERE name = 'ann'": upd,
		"INSERT INTO audit (note) VALUES ('seen')":                insert,
		"SELECT count(*) FROM audit WHERE note = $1":              exe,
	}
	for _, c := range d.Calls() {
		if s, ok := byQuery[c.Query]; ok && (c.Op == "query" || c.Op == "exec") {
			if spanIDOf(c.Ctx) != s.SpanContext().SpanID() {
				t.Errorf("driver ran %q outside its span", c.Query)
			}
			if !core.InDBOp(c.Ctx) {
				t.Errorf("driver's context for %q is not marked as a traced operation", c.Query)
			}
		}
	}
}

func TestDurationMetric(t *testing.T) {
	coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	_, db := newShop(t, shop)
	ctx := context.Background()
	for range 3 {
		must(t, query(ctx, db, "SELECT name FROM users WHERE id = $1", 1))
	}
	_ = query(ctx, db, "SELECT * FROM no_such_table")

	points, unit := coretest.Histogram(t, reader, "db.client.operation.duration")
	if unit != "s" {
		t.Errorf("unit %q, want s", unit)
	}
	if len(points) != 2 {
		t.Fatalf("%d series, want 2", len(points))
	}
	for _, p := range points {
		got := coretest.SetAttrs(p.Attributes)
		if got["db.query.text"] != nil {
			t.Errorf("db.query.text in a metric: %v", got)
		}
		coretest.CheckAttrs(t, "metric", got, map[string]any{
			"db.system.name": "postgresql", "db.namespace": "shop", "db.operation.name": "SELECT",
			"server.address": "db.example", "server.port": int64(6543),
		})
		switch got["db.collection.name"] {
		case "users":
			if p.Count != 3 || got["error.type"] != nil {
				t.Errorf("users series count %d attributes %v", p.Count, got)
			}
		case "no_such_table":
			if p.Count != 1 || got["error.type"] != "*errors.errorString" {
				t.Errorf("failure series count %d attributes %v", p.Count, got)
			}
		default:
			t.Errorf("unexpected series %v", got)
		}
	}
}

func TestTransactionFailures(t *testing.T) {
	rec := coretest.NewRecorder(t)
	errBegin, errCommit := errors.New("too many transactions"), errors.New("serialization failure")
	var failBegin bool
	_, db := newShop(t, func(c coretest.SQLCall) coretest.SQLResult {
		switch {
		case c.Op == "begin" && failBegin:
			return coretest.SQLResult{Err: errBegin}
		case c.Op == "commit":
			return coretest.SQLResult{Err: errCommit}
		}
		return coretest.SQLResult{}
	})
	ctx := context.Background()

	// A rollback that did roll back is a span; a failed commit is an error.
	tx, err := begin(ctx, db)
	must(t, err)
	must(t, rollback(tx))
	tx, err = begin(ctx, db)
	must(t, err)
	if err := commit(tx); !errors.Is(err, errCommit) {
		t.Fatalf("commit: %v", err)
	}
	failBegin = true
	if _, err := begin(ctx, db); !errors.Is(err, errBegin) {
		t.Fatalf("begin: %v", err)
	}

	spans := rec.Ended()
	if got := fmt.Sprint(coretest.SpanNames(spans)); got != "[BEGIN shop ROLLBACK shop BEGIN shop COMMIT shop BEGIN shop]" {
		t.Fatalf("spans %s", got)
	}
	wantStatus := []codes.Code{codes.Unset, codes.Unset, codes.Unset, codes.Error, codes.Error}
	for i, s := range spans {
		if s.Status().Code != wantStatus[i] {
			t.Errorf("%s (#%d) status %v, want %v", s.Name(), i, s.Status(), wantStatus[i])
		}
		if s.Parent().IsValid() {
			t.Errorf("%s has a parent, but the caller had no span", s.Name())
		}
	}
	if spans[3].Status().Description != errCommit.Error() || spans[4].Status().Description != errBegin.Error() {
		t.Errorf("descriptions %q, %q", spans[3].Status().Description, spans[4].Status().Description)
	}
}

func TestStatementsOfATransaction(t *testing.T) {
	rec := coretest.NewRecorder(t)
	_, db := newShop(t, nil)
	ctx, parent := core.Start(context.Background(), "job", trace.SpanKindInternal)

	stmt, err := prepare(ctx, db, "INSERT INTO audit (note) VALUES ($1)")
	must(t, err)
	defer stmt.Close()
	must(t, stmtExec(ctx, stmt, "direct"))
	tx, err := begin(ctx, db)
	must(t, err)
	// Tx.Stmt makes a statement of its own, not through prepareDC.
	must(t, stmtExec(ctx, tx.StmtContext(ctx, stmt), "in tx"))
	must(t, commit(tx))
	parent.End()

	spans := rec.Ended()
	direct := coretest.SpansNamed(spans, "INSERT audit")
	if len(direct) != 1 {
		t.Fatalf("spans %v, want one INSERT audit", coretest.SpanNames(spans))
	}
	coretest.CheckAttrs(t, "INSERT audit", coretest.Attrs(direct[0]), map[string]any{
		"db.system.name": "postgresql", "db.query.text": "INSERT INTO audit (note) VALUES ($1)",
	})
	// The transaction's copy is still a client span under the caller, with
	// no text the hook could not know.
	var inTx sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.SpanKind() == trace.SpanKindClient && s.StartTime().After(direct[0].EndTime()) &&
			s.Name() != "BEGIN shop" && s.Name() != "COMMIT shop" {
			inTx = s
		}
	}
	if inTx == nil {
		t.Fatalf("no span for the transaction's statement: %v", coretest.SpanNames(spans))
	}
	if inTx.Parent().SpanID() != parent.SpanContext().SpanID() {
		t.Errorf("%s is not under the caller's span", inTx.Name())
	}
	coretest.CheckAttrs(t, inTx.Name(), coretest.Attrs(inTx), map[string]any{"db.query.text": nil})
}

func TestSystemFromTheDriverWithoutOpen(t *testing.T) {
	rec := coretest.NewRecorder(t)
	coretest.NewSQLDriver(nil).Register(t, "rulec-test-unknown")
	// Not through the open hooks (a DB from sql.OpenDB, or opened before
	// the hooks could see it): the driver's type is all there is.
	db, err := sql.Open("rulec-test-unknown", "whatever")
	must(t, err)
	defer db.Close()
	must(t, query(context.Background(), db, "SELECT 1 FROM users"))

	s := coretest.FindSpan(t, rec.Ended(), "SELECT users", trace.SpanKindClient)
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
		"db.system.name": "other_sql", "db.namespace": nil, "server.address": nil,
	})
}

func TestMySQLDSN(t *testing.T) {
	rec := coretest.NewRecorder(t)
	coretest.NewSQLDriver(nil).Register(t, "mysql")
	db, err := open("mysql", "root:pw@tcp(10.1.2.3:3307)/test?parseTime=true")
	must(t, err)
	defer db.Close()
	must(t, ping(context.Background(), db))

	s := coretest.FindSpan(t, rec.Ended(), "PING test", trace.SpanKindClient)
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
		"db.system.name": "mysql", "db.namespace": "test", "server.address": "10.1.2.3", "server.port": int64(3307),
		"db.operation.name": "PING",
	})
}

func TestFailedOpenIsIgnored(t *testing.T) {
	coretest.NewRecorder(t)
	if _, err := open("rulec-test-never-registered", "x"); err == nil {
		t.Fatal("sql.Open of an unknown driver succeeded")
	}
}

func TestSuppressedAndDisabledMakeNoSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	d, db := newShop(t, shop)
	ctx := core.Suppress(context.Background())
	must(t, query(ctx, db, "SELECT name FROM users WHERE id = $1", 1))
	must(t, ping(ctx, db))
	tx, err := begin(ctx, db)
	must(t, err)
	must(t, commit(tx))
	if spans := rec.Ended(); len(spans) != 0 {
		t.Fatalf("suppressed context made spans %v", coretest.SpanNames(spans))
	}

	coretest.Disable(t)
	must(t, query(context.Background(), db, "SELECT name FROM users WHERE id = $1", 1))
	must(t, exec(context.Background(), db, db.ExecContext, "DELETE FROM audit"))
	if spans := rec.Ended(); len(spans) != 0 {
		t.Fatalf("disabled runtime made spans %v", coretest.SpanNames(spans))
	}
	// Off, the hooks hand the driver the caller's context untouched.
	calls := d.Calls()
	if last := calls[len(calls)-1]; last.Query != "DELETE FROM audit" || core.InDBOp(last.Ctx) {
		t.Errorf("last driver call %q, in an operation: %v", last.Query, core.InDBOp(last.Ctx))
	}
}

// A query made with no context (db.QueryRow) joins the goroutine's span.
func TestNoContextJoinsTheGoroutine(t *testing.T) {
	rec := coretest.NewRecorder(t)
	coretest.UseGoroutineContext(t)
	_, db := newShop(t, shop)
	_, request := core.Start(context.Background(), "GET /work", trace.SpanKindServer)
	prev := core.Attach(request)
	err := query(context.Background(), db, "SELECT name FROM users WHERE id = $1", 1)
	core.Detach(prev)
	must(t, err)
	request.End()

	s := coretest.FindSpan(t, rec.Ended(), "SELECT users", trace.SpanKindClient)
	if s.Parent().SpanID() != request.SpanContext().SpanID() {
		t.Errorf("parent %v, want the goroutine's span", s.Parent().SpanID())
	}
}
