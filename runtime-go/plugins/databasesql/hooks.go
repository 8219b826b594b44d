package databasesql

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"rulec.dev/runtime/core"
)

// What spans need and database/sql does not keep where the hooks see it.
var (
	dbs   core.SideTable[sql.DB, dbInfo]     // from sql.Open
	stmts core.SideTable[sql.Stmt, stmtInfo] // from prepareDC
	txs   core.SideTable[sql.Tx, txInfo]     // from beginDC
)

// txInfo is a transaction's database and the context it began under, which
// parents its commit or rollback (Tx keeps its own out of reach).
type txInfo struct {
	db  dbInfo
	ctx context.Context
}

type stmtInfo struct {
	db    dbInfo
	query string
}

func call(info dbInfo, operation, query string) core.DBCall {
	return core.DBCall{
		System: info.system, Namespace: info.namespace, Operation: operation,
		Query: query, SQL: query != "", ServerAddress: info.host, ServerPort: info.port,
	}
}

// end is every after hook's work: the operation's error, if any, and its end.
func end(state any, err error) {
	if op, ok := state.(*core.DBOp); ok {
		op.End(err)
	}
}

// OpenBefore is the before hook of sql.Open: it keeps the driver's name and
// the data source name for OpenAfter.
func OpenBefore(driverName, dataSourceName string) any {
	return [2]string{driverName, dataSourceName}
}

// OpenAfter attaches the system, server and database name to the new DB.
func OpenAfter(state any, db *sql.DB, err error) {
	open, ok := state.([2]string)
	if !ok || err != nil || db == nil {
		return
	}
	dbs.Set(db, infoFromDSN(systemOf(open[0], db.Driver()), open[1]))
}

// startIn starts an operation under *ctx and hands the driver the
// operation's context instead: what the driver does (pgx's own tracing)
// then knows it is part of this operation.
func startIn(ctx *context.Context, c core.DBCall) *core.DBOp {
	op := core.StartDB(*ctx, c)
	if op != nil {
		*ctx = op.Context()
	}
	return op
}

// QueryBefore is the before hook of (*DB).queryDC, behind every Query and
// QueryRow of DB, Conn and Tx.
func QueryBefore(db *sql.DB, ctx *context.Context, txctx context.Context, dc any, releaseConn func(error), query string, args []any) any {
	return startIn(ctx, call(infoOf(db), "", query))
}

// QueryAfter ends the query's span.
func QueryAfter(state any, rows *sql.Rows, err error) { end(state, err) }

// ExecBefore is the before hook of (*DB).execDC, behind every Exec of DB,
// Conn and Tx.
func ExecBefore(db *sql.DB, ctx *context.Context, dc any, release func(error), query string, args []any) any {
	return startIn(ctx, call(infoOf(db), "", query))
}

// ExecAfter ends the exec's span.
func ExecAfter(state any, res sql.Result, err error) { end(state, err) }

type prepareState struct {
	op   *core.DBOp
	info stmtInfo
}

// PrepareBefore is the before hook of (*DB).prepareDC, behind every Prepare
// of DB, Conn and Tx.
func PrepareBefore(db *sql.DB, ctx context.Context, dc any, release func(error), cg any, query string) any {
	info := infoOf(db)
	return &prepareState{core.StartDB(ctx, call(info, "PREPARE", query)), stmtInfo{info, query}}
}

// PrepareAfter remembers the statement's text for its executions.
func PrepareAfter(state any, stmt *sql.Stmt, err error) {
	st, ok := state.(*prepareState)
	if !ok {
		return
	}
	if err == nil {
		stmts.Set(stmt, st.info)
	}
	st.op.End(err)
}

// StmtQueryBefore is the before hook of (*Stmt).QueryContext.
func StmtQueryBefore(s *sql.Stmt, ctx *context.Context, args []any) any {
	return startStmt(s, ctx)
}

// StmtExecBefore is the before hook of (*Stmt).ExecContext.
func StmtExecBefore(s *sql.Stmt, ctx *context.Context, args []any) any {
	return startStmt(s, ctx)
}

func startStmt(s *sql.Stmt, ctx *context.Context) *core.DBOp {
	info, ok := stmts.Get(s)
	if !ok { // made by Tx.Stmt from another statement: its text is not known
		info.db.system = "other_sql"
	}
	return startIn(ctx, call(info.db, "", info.query))
}

// PingBefore is the before hook of (*DB).pingDC.
func PingBefore(db *sql.DB, ctx context.Context, dc any, release func(error)) any {
	return core.StartDB(ctx, call(infoOf(db), "PING", ""))
}

// PingAfter ends the ping's span.
func PingAfter(state any, err error) { end(state, err) }

type beginState struct {
	op   *core.DBOp
	info txInfo
}

// BeginBefore is the before hook of (*DB).beginDC, behind every Begin.
func BeginBefore(db *sql.DB, ctx context.Context, dc any, release func(error), opts *sql.TxOptions) any {
	info := infoOf(db)
	return &beginState{core.StartDB(ctx, call(info, "BEGIN", "")), txInfo{info, ctx}}
}

// BeginAfter remembers the transaction's database for its commit or rollback.
func BeginAfter(state any, tx *sql.Tx, err error) {
	st, ok := state.(*beginState)
	if !ok {
		return
	}
	if err == nil {
		txs.Set(tx, st.info)
	}
	st.op.End(err)
}

// txEnd is a commit or rollback in flight. Its span is made when it ends:
// a rollback of a transaction already committed (the usual deferred
// Rollback) did nothing, and gets none.
type txEnd struct {
	operation string
	info      txInfo
	start     time.Time
}

// CommitBefore is the before hook of (*Tx).Commit.
func CommitBefore(tx *sql.Tx) any { return txEndOf(tx, "COMMIT") }

// RollbackBefore is the before hook of (*Tx).Rollback.
func RollbackBefore(tx *sql.Tx) any { return txEndOf(tx, "ROLLBACK") }

func txEndOf(tx *sql.Tx, operation string) any {
	info, _ := txs.Get(tx)
	return &txEnd{operation, info, time.Now()}
}

// TxEndAfter records the commit or rollback that did something.
func TxEndAfter(state any, err error) {
	st, ok := state.(*txEnd)
	if !ok || errors.Is(err, sql.ErrTxDone) || st.info.ctx == nil {
		return
	}
	core.StartDBAt(st.info.ctx, call(st.info.db, st.operation, ""), st.start).End(err)
}
