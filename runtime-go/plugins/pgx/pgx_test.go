package pgx

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// servePostgres runs a PostgreSQL server on a loopback port that speaks
// the wire protocol pgx's simple-protocol mode needs (pgx's own pgproto3
// backend): every SELECT returns one row, 42; a statement naming
// no_such_table fails as PostgreSQL does; anything else succeeds.
func servePostgres(t *testing.T) string {
	var mu sync.Mutex
	backends := map[*bufio.ReadWriter]*pgproto3.Backend{}
	return coretest.ServeTCP(t, func(rw *bufio.ReadWriter) error {
		mu.Lock()
		be, started := backends[rw]
		if !started {
			be = pgproto3.NewBackend(rw, rw)
			backends[rw] = be
		}
		mu.Unlock()
		if !started {
			if _, err := be.ReceiveStartupMessage(); err != nil {
				return err
			}
			be.Send(&pgproto3.AuthenticationOk{})
			be.Send(&pgproto3.ParameterStatus{Name: "standard_conforming_strings", Value: "on"})
			be.Send(&pgproto3.ParameterStatus{Name: "client_encoding", Value: "UTF8"})
			be.Send(&pgproto3.BackendKeyData{ProcessID: 1, SecretKey: 2})
			be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
			return be.Flush()
		}
		msg, err := be.Receive()
		if err != nil {
			return err
		}
		q, ok := msg.(*pgproto3.Query)
		if !ok { // Terminate, or a message this server does not speak
			return io.EOF
		}
		for _, stmt := range strings.Split(q.String, ";") {
			word, _, _ := strings.Cut(strings.TrimSpace(stmt), " ")
			switch {
			case strings.Contains(stmt, "no_such_table"):
				be.Send(&pgproto3.ErrorResponse{Severity: "ERROR", Code: "42P01", Message: `relation "no_such_table" does not exist`})
			case word == "SELECT":
				be.Send(&pgproto3.RowDescription{Fields: []pgproto3.FieldDescription{{Name: []byte("n"), DataTypeOID: 23, DataTypeSize: 4, TypeModifier: -1}}})
				be.Send(&pgproto3.DataRow{Values: [][]byte{[]byte("42")}})
				be.Send(&pgproto3.CommandComplete{CommandTag: []byte("SELECT 1")})
				continue
			default:
				be.Send(&pgproto3.CommandComplete{CommandTag: []byte(strings.ToUpper(word))})
				continue
			}
			break // an error ends the rest of the query string
		}
		be.Send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
		return be.Flush()
	})
}

// connect plays the wrapper of pgx.ParseConfig (the real parser, then the
// after hook), as pgx.Connect and pgxpool do, and connects.
func connect(t *testing.T, addr string) *pgx.Conn {
	t.Helper()
	cfg := parseConfig(t, "postgres://app@"+addr+"/shop?sslmode=disable&default_query_exec_mode=simple_protocol")
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func parseConfig(t *testing.T, dsn string) *pgx.ConnConfig {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	ParseConfigAfter(cfg, err)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestQueriesExecsAndBatchesAreClientSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	reader := coretest.NewMetricReader(t)
	addr := servePostgres(t)
	conn := connect(t, addr)
	ctx, request := core.Start(context.Background(), "GET /pgx", trace.SpanKindServer)

	var n int
	if err := conn.QueryRow(ctx, "SELECT 40 + $1", 2).Scan(&n); err != nil || n != 42 {
		t.Fatalf("QueryRow = %d, %v", n, err)
	}
	if _, err := conn.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS seen (note text)"); err != nil {
		t.Fatal(err)
	}
	batch := &pgx.Batch{}
	batch.Queue("INSERT INTO seen VALUES ('a')")
	batch.Queue("SELECT count(*) FROM seen")
	if err := conn.SendBatch(ctx, batch).Close(); err != nil {
		t.Fatal(err)
	}
	_, bad := conn.Exec(ctx, "SELECT * FROM no_such_table")
	var pgErr *pgconn.PgError
	if !errors.As(bad, &pgErr) || pgErr.Code != "42P01" {
		t.Fatalf("query of a missing table: %v", bad)
	}
	request.End()

	spans := coretest.SpansOfKind(rec.Ended(), trace.SpanKindClient)
	if got := fmt.Sprint(coretest.SpanNames(spans)); got != "[SELECT shop CREATE shop BATCH shop SELECT no_such_table]" {
		t.Fatalf("client spans %s", got)
	}
	host, port := coretest.HostPort(t, addr)
	for i, s := range spans {
		if s.Parent().SpanID() != request.SpanContext().SpanID() || s.SpanContext().TraceID() != request.SpanContext().TraceID() {
			t.Errorf("%s is not under the caller's span", s.Name())
		}
		coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{
			"db.system.name": "postgresql", "db.namespace": "shop", "server.address": host, "server.port": port,
		})
		if failed := i == 3; (s.Status().Code == codes.Error) != failed {
			t.Errorf("%s status %v", s.Name(), s.Status())
		}
	}
	coretest.CheckAttrs(t, "SELECT", coretest.Attrs(spans[0]), map[string]any{
		"db.query.text": "SELECT ? + $1", "db.operation.name": "SELECT", // the SQL as written, without its literal
	})
	coretest.CheckAttrs(t, "BATCH", coretest.Attrs(spans[2]), map[string]any{"db.operation.name": "BATCH", "db.query.text": nil})
	coretest.CheckAttrs(t, "failed", coretest.Attrs(spans[3]), map[string]any{
		"error.type": "*pgconn.PgError", "db.collection.name": "no_such_table",
	})
	if !strings.Contains(spans[3].Status().Description, "no_such_table") {
		t.Errorf("failed status %q", spans[3].Status().Description)
	}

	ops := coretest.DBSeries(t, reader, "postgresql", func(a map[string]any) string {
		return fmt.Sprint(a["db.operation.name"], " ", a["error.type"])
	})
	if ops["BATCH <nil>"] != 1 || ops["SELECT <nil>"] != 1 || ops["SELECT *pgconn.PgError"] != 1 {
		t.Errorf("series %v", ops)
	}
}

// A query pgx runs for database/sql (its stdlib driver) is the databasesql
// plugin's operation already: no second span.
func TestQueryInsideADatabaseSQLOperationIsNotTracedTwice(t *testing.T) {
	rec := coretest.NewRecorder(t)
	conn := connect(t, servePostgres(t))
	op := core.StartDB(context.Background(), core.DBCall{System: "postgresql", Query: "SELECT 7", SQL: true})
	var n int
	if err := conn.QueryRow(op.Context(), "SELECT 7").Scan(&n); err != nil {
		t.Fatal(err)
	}
	op.End(nil)
	if spans := rec.Ended(); len(spans) != 1 || spans[0].Name() != "SELECT" {
		t.Fatalf("spans %v, want only the outer operation's", coretest.SpanNames(spans))
	}
}

func TestApplicationTracerIsKept(t *testing.T) {
	rec := coretest.NewRecorder(t)
	cfg, err := pgx.ParseConfig("postgres://app@127.0.0.1:1/shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Tracer.(tracer); ok {
		t.Fatal("ParseConfig alone set rulec's tracer")
	}
	own := &countingTracer{}
	cfg.Tracer = own
	ParseConfigAfter(cfg, nil) // the hook runs first in a real build; it must not replace one set
	if cfg.Tracer != own {
		t.Fatalf("tracer replaced by %T", cfg.Tracer)
	}
	ParseConfigAfter(nil, errors.New("bad dsn")) // a failed parse: nothing to do

	cfg = parseConfig(t, "postgres://app@"+servePostgres(t)+"/shop?sslmode=disable&default_query_exec_mode=simple_protocol")
	if _, ok := cfg.Tracer.(tracer); !ok {
		t.Fatalf("tracer %T, want rulec's", cfg.Tracer)
	}
	cfg.Tracer = own // set by the application after parsing: the application's wins
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if own.starts != 1 || len(rec.Ended()) != 0 {
		t.Errorf("own tracer saw %d queries; rulec made %d spans", own.starts, len(rec.Ended()))
	}
}

type countingTracer struct{ starts int }

func (c *countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.starts++
	return ctx
}
func (*countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func TestConnectionFailureMakesNoSpan(t *testing.T) {
	rec := coretest.NewRecorder(t)
	cfg := parseConfig(t, "postgres://app@"+coretest.ClosedAddr(t)+"/shop?sslmode=disable&connect_timeout=2")
	if _, err := pgx.ConnectConfig(context.Background(), cfg); err == nil {
		t.Fatal("connected to a closed port")
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Errorf("a failed connect made spans %v", coretest.SpanNames(spans))
	}
}

func TestSuppressedAndDisabledMakeNoSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	conn := connect(t, servePostgres(t))
	if _, err := conn.Exec(core.Suppress(context.Background()), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	coretest.Disable(t)
	if _, err := conn.Exec(context.Background(), "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Errorf("spans %v", coretest.SpanNames(spans))
	}
}
