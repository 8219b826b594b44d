package coretest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"io"
	"sync"
	"testing"
)

// SQLCall is one request a SQLDriver received: Op is "query", "exec",
// "prepare", "begin", "commit", "rollback" or "ping"; Query is the statement
// (empty for the last four); Ctx is the context the driver was handed, so a
// test can see which span the call was made under (nil where database/sql
// passes none: commit and rollback).
type SQLCall struct {
	Op    string
	Query string
	Args  []driver.NamedValue
	Ctx   context.Context
}

// SQLResult is a SQLDriver's answer to one call: rows for a query, counts
// for an exec, or Err for any call.
type SQLResult struct {
	Columns      []string
	Rows         [][]driver.Value
	RowsAffected int64
	LastInsertID int64
	Err          error
}

// SQLDriver is a database/sql driver that needs no server: each call is
// logged and answered by a function of the test's, so tests of hooks on
// database/sql (and of libraries above it, such as gorm) run real
// database/sql code end to end.
type SQLDriver struct {
	respond func(SQLCall) SQLResult
	mu      sync.Mutex
	calls   []SQLCall
}

// NewSQLDriver returns a driver answering every call with respond (nil:
// success, no rows).
func NewSQLDriver(respond func(SQLCall) SQLResult) *SQLDriver {
	if respond == nil {
		respond = func(SQLCall) SQLResult { return SQLResult{} }
	}
	return &SQLDriver{respond: respond}
}

// Calls is what the driver received, in order.
func (d *SQLDriver) Calls() []SQLCall {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]SQLCall(nil), d.calls...)
}

func (d *SQLDriver) answer(c SQLCall) SQLResult {
	d.mu.Lock()
	d.calls = append(d.calls, c)
	d.mu.Unlock()
	return d.respond(c)
}

// Open implements driver.Driver; the data source name is not used.
func (d *SQLDriver) Open(string) (driver.Conn, error) { return &sqlConn{d}, nil }

// Register makes d the driver sql.Open finds under name for the rest of the
// test. sql.Register cannot undo a registration, so a name is registered
// once per test binary (to a router) and pointed at the test's driver.
func (d *SQLDriver) Register(t testing.TB, name string) {
	t.Helper()
	routesMu.Lock()
	r := routes[name]
	if r == nil {
		r = &sqlRoute{}
		routes[name] = r
		sql.Register(name, r)
	}
	routesMu.Unlock()
	r.mu.Lock()
	prev := r.d
	r.d = d
	r.mu.Unlock()
	t.Cleanup(func() {
		r.mu.Lock()
		r.d = prev
		r.mu.Unlock()
	})
}

var (
	routesMu sync.Mutex
	routes   = map[string]*sqlRoute{}
)

// sqlRoute is what sql.Register holds: the current test's driver.
type sqlRoute struct {
	mu sync.Mutex
	d  *SQLDriver
}

func (r *sqlRoute) Open(name string) (driver.Conn, error) {
	r.mu.Lock()
	d := r.d
	r.mu.Unlock()
	if d == nil {
		return nil, driver.ErrBadConn
	}
	return d.Open(name)
}

type sqlConn struct{ d *SQLDriver }

var (
	_ driver.ConnBeginTx        = (*sqlConn)(nil)
	_ driver.ConnPrepareContext = (*sqlConn)(nil)
	_ driver.ExecerContext      = (*sqlConn)(nil)
	_ driver.QueryerContext     = (*sqlConn)(nil)
	_ driver.Pinger             = (*sqlConn)(nil)
)

func (c *sqlConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *sqlConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if r := c.d.answer(SQLCall{Op: "prepare", Query: query, Ctx: ctx}); r.Err != nil {
		return nil, r.Err
	}
	return &sqlStmt{c, query}, nil
}

func (c *sqlConn) Close() error { return nil }

func (c *sqlConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *sqlConn) BeginTx(ctx context.Context, _ driver.TxOptions) (driver.Tx, error) {
	if r := c.d.answer(SQLCall{Op: "begin", Ctx: ctx}); r.Err != nil {
		return nil, r.Err
	}
	return sqlTx{c}, nil
}

func (c *sqlConn) Ping(ctx context.Context) error {
	return c.d.answer(SQLCall{Op: "ping", Ctx: ctx}).Err
}

func (c *sqlConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	r := c.d.answer(SQLCall{Op: "exec", Query: query, Args: args, Ctx: ctx})
	if r.Err != nil {
		return nil, r.Err
	}
	return sqlExecResult{r.LastInsertID, r.RowsAffected}, nil
}

func (c *sqlConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	r := c.d.answer(SQLCall{Op: "query", Query: query, Args: args, Ctx: ctx})
	if r.Err != nil {
		return nil, r.Err
	}
	return &sqlRows{columns: r.Columns, rows: r.Rows}, nil
}

type sqlTx struct{ c *sqlConn }

func (tx sqlTx) Commit() error   { return tx.c.d.answer(SQLCall{Op: "commit"}).Err }
func (tx sqlTx) Rollback() error { return tx.c.d.answer(SQLCall{Op: "rollback"}).Err }

type sqlStmt struct {
	c     *sqlConn
	query string
}

var (
	_ driver.StmtExecContext  = (*sqlStmt)(nil)
	_ driver.StmtQueryContext = (*sqlStmt)(nil)
)

func (s *sqlStmt) Close() error  { return nil }
func (s *sqlStmt) NumInput() int { return -1 } // any number: the driver does not parse SQL

func (s *sqlStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *sqlStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *sqlStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.ExecContext(ctx, s.query, args)
}

func (s *sqlStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.QueryContext(ctx, s.query, args)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

type sqlExecResult struct{ lastID, affected int64 }

func (r sqlExecResult) LastInsertId() (int64, error) { return r.lastID, nil }
func (r sqlExecResult) RowsAffected() (int64, error) { return r.affected, nil }

type sqlRows struct {
	columns []string
	rows    [][]driver.Value
}

func (r *sqlRows) Columns() []string { return r.columns }
func (r *sqlRows) Close() error      { return nil }

func (r *sqlRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}
