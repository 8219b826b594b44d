// Package pgx holds rulec's hooks on github.com/jackc/pgx/v5 used natively
// (plugin "pgx"): every connection configuration pgx parses (pgx.Connect,
// pgxpool...) gets a tracer (pgx's public QueryTracer and BatchTracer API)
// that makes a CLIENT span and a db.client.operation.duration record per
// query, exec and batch. Queries pgx runs for database/sql (its stdlib
// driver) are the databasesql plugin's, and get no second span.
//
// Hook signatures are an ABI contract with the rulec compiler.
package pgx

import (
	"context"

	"github.com/jackc/pgx/v5"

	"rulec.dev/runtime/core"
)

var pluginSwitch = core.PackageSwitch()

// ParseConfigAfter is the after hook of pgx.ParseConfig, which pgx.Connect
// and pgxpool.ParseConfig go through. A tracer the application sets
// afterwards replaces rulec's.
func ParseConfigAfter(config *pgx.ConnConfig, err error) {
	if err == nil && config != nil && config.Tracer == nil {
		config.Tracer = tracer{}
	}
}

type tracer struct{}

type opKey struct{}

func call(conn *pgx.Conn, operation, query string) core.DBCall {
	c := core.DBCall{System: "postgresql", Operation: operation, Query: query, SQL: query != ""}
	if conn != nil {
		if cfg := conn.Config(); cfg != nil {
			c.Namespace, c.ServerAddress, c.ServerPort = cfg.Database, cfg.Host, int(cfg.Port)
		}
	}
	return c
}

func start(ctx context.Context, c core.DBCall) context.Context {
	if !pluginSwitch.Load() || core.InDBOp(ctx) {
		return ctx
	}
	op := core.StartDB(ctx, c)
	if op == nil {
		return ctx
	}
	return context.WithValue(op.Context(), opKey{}, op)
}

func end(ctx context.Context, err error) {
	if op, ok := ctx.Value(opKey{}).(*core.DBOp); ok {
		op.End(err)
	}
}

func (tracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	return start(ctx, call(conn, "", data.SQL))
}

func (tracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	end(ctx, data.Err)
}

func (tracer) TraceBatchStart(ctx context.Context, conn *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return start(ctx, call(conn, "BATCH", ""))
}

func (tracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (tracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	end(ctx, data.Err)
}
