package core

import (
	"context"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/semconv"
)

// Database client operations, for every database plugin: one CLIENT span
// and one db.client.operation.duration record per operation, named and
// attributed per the OTel database semantic conventions.

// The database attribute keys of the current conventions (db.system.name
// replaced db.system after semconv v1.26, whose names rulec's semconv
// package holds).
const (
	DBSystemName     = attribute.Key("db.system.name")
	DBNamespace      = attribute.Key("db.namespace")
	DBOperationName  = attribute.Key("db.operation.name")
	DBCollectionName = attribute.Key("db.collection.name")
	DBQueryText      = attribute.Key("db.query.text")
)

// DBDurationBuckets are semconv's boundaries for db.client.operation.duration.
var DBDurationBuckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}

var dbDuration = NewDuration("db.client.operation.duration", "Duration of database client operations.", DBDurationBuckets...)

// rawStatements is RULEC_DB_STATEMENT=raw: db.query.text keeps literals.
var rawStatements = strings.EqualFold(strings.TrimSpace(os.Getenv("RULEC_DB_STATEMENT")), "raw")

// RawStatements reports RULEC_DB_STATEMENT=raw, for plugins whose query
// text is not SQL (Redis commands): keep the values in db.query.text.
func RawStatements() bool { return rawStatements }

// DBCall describes one database client operation. Operation and Collection
// may be left empty for SQL: they are read from Query.
type DBCall struct {
	System        string // db.system.name: "postgresql", "mysql", "redis"...
	Namespace     string // the database (or index) name
	Operation     string // "SELECT", "GET"...
	Collection    string // the table, when the operation has one
	Query         string // SQL text, sanitized unless RULEC_DB_STATEMENT=raw
	SQL           bool   // Query is SQL: sanitize it and read the operation and table
	ServerAddress string
	ServerPort    int
	// SpanName replaces the conventional "{operation} {target}", where a
	// system's conventions name spans otherwise (Redis: the command).
	SpanName string
}

// DBSystemOfDriver is the db.system.name of a SQL driver or dialect by the
// name it is known under ("postgres", "pgx", "mysql"...): "other_sql" when
// it is not one rulec knows.
func DBSystemOfDriver(name string) string {
	switch name {
	case "postgres", "pgx", "pgx/v5", "postgresql":
		return "postgresql"
	case "mysql":
		return "mysql"
	case "sqlite3", "sqlite":
		return "sqlite"
	case "sqlserver", "mssql":
		return "microsoft.sql_server"
	case "clickhouse":
		return "clickhouse"
	}
	return "other_sql"
}

// DBOp is one operation in flight, from StartDB to End.
type DBOp struct {
	ctx    context.Context
	span   trace.Span
	start  time.Time
	metric []attribute.KeyValue
}

// StartDB starts the span of one operation under ctx (or the goroutine's
// context). It returns nil when telemetry is off or ctx is suppressed; End
// and Context accept a nil *DBOp.
func StartDB(ctx context.Context, c DBCall) *DBOp {
	return StartDBAt(ctx, c, time.Now())
}

// StartDBAt is StartDB for an operation that began at start, for hooks
// that learn only at its end whether it was one.
func StartDBAt(ctx context.Context, c DBCall, start time.Time) *DBOp {
	if !Enabled() || Suppressed(ctx) {
		return nil
	}
	if c.SQL {
		op, table := SQLSummary(c.Query)
		if c.Operation == "" {
			c.Operation = op
		}
		if c.Collection == "" {
			c.Collection = table
		}
		if !rawStatements {
			c.Query = SanitizeSQL(c.Query)
		}
	}
	metric := make([]attribute.KeyValue, 0, 6)
	metric = append(metric, DBSystemName.String(c.System))
	if c.Namespace != "" {
		metric = append(metric, DBNamespace.String(c.Namespace))
	}
	if c.Operation != "" {
		metric = append(metric, DBOperationName.String(c.Operation))
	}
	if c.Collection != "" {
		metric = append(metric, DBCollectionName.String(c.Collection))
	}
	if c.ServerAddress != "" {
		metric = append(metric, semconv.ServerAddress(c.ServerAddress))
		if c.ServerPort > 0 {
			metric = append(metric, semconv.ServerPort(c.ServerPort))
		}
	}
	attrs := metric
	if c.Query != "" {
		attrs = append(metric[:len(metric):len(metric)], DBQueryText.String(c.Query))
	}
	ctx = WithGoroutineParent(ctx)
	ctx, span := Tracer().Start(ctx, dbSpanName(c), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...), trace.WithTimestamp(start))
	return &DBOp{ctx: context.WithValue(ctx, dbOpKey{}, true), span: span, start: start, metric: metric}
}

type dbOpKey struct{}

// InDBOp reports whether ctx is that of a database operation already being
// traced: a driver under database/sql (pgx's stdlib) is the same operation
// and its own plugin adds no second span.
func InDBOp(ctx context.Context) bool {
	v, _ := ctx.Value(dbOpKey{}).(bool)
	return v
}

// dbSpanName is "{operation} {collection}", else "{operation} {namespace}",
// else the operation, else the system: semconv's low-cardinality name.
func dbSpanName(c DBCall) string {
	if c.SpanName != "" {
		return c.SpanName
	}
	target := c.Collection
	if target == "" {
		target = c.Namespace
	}
	switch {
	case c.Operation != "" && target != "":
		return c.Operation + " " + target
	case c.Operation != "":
		return c.Operation
	default:
		return c.System
	}
}

// Context is the operation's context (its span as the parent), or nil.
func (op *DBOp) Context() context.Context {
	if op == nil {
		return nil
	}
	return op.ctx
}

// End records err (if any) on the span and in the metric, and ends both.
func (op *DBOp) End(err error) {
	if op == nil {
		return
	}
	metric := op.metric
	if err != nil {
		RecordError(op.span, err)
		metric = append(metric[:len(metric):len(metric)], attribute.String("error.type", ErrorType(err)))
	}
	op.span.End()
	dbDuration.Record(op.ctx, op.start, metric...)
}
