package gorm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// dialector is the least gorm needs of a dialect (gorm.io/driver/postgres
// and the like are modules of their own): gorm's default callbacks over a
// *sql.DB, "?" placeholders and double-quoted names. Its name is what the
// hook reads the database system from.
type dialector struct {
	name string
	db   *sql.DB
}

func (d dialector) Name() string { return d.name }

func (d dialector) Initialize(db *gorm.DB) error {
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{})
	db.ConnPool = d.db
	return nil
}

func (dialector) Migrator(*gorm.DB) gorm.Migrator { return nil }
func (dialector) DataTypeOf(*schema.Field) string { return "" }
func (dialector) DefaultValueOf(*schema.Field) clause.Expression {
	return clause.Expr{SQL: "DEFAULT"}
}
func (dialector) BindVarTo(w clause.Writer, _ *gorm.Statement, _ any) { w.WriteByte('?') }
func (dialector) QuoteTo(w clause.Writer, s string) {
	w.WriteByte('"')
	w.WriteString(s)
	w.WriteByte('"')
}
func (dialector) Explain(sql string, _ ...any) string { return sql }

type Product struct {
	ID    uint
	Code  string
	Price int
}

var errNoTable = errors.New(`relation "no_such_table" does not exist`)

// shop answers the SQL gorm sends for Product: the product D42 exists,
// no_such_table does not.
func shop(c coretest.SQLCall) coretest.SQLResult {
	switch {
	case strings.Contains(c.Query, "no_such_table"):
		return coretest.SQLResult{Err: errNoTable}
	case c.Op == "query" && strings.Contains(c.Query, "count(*)"):
		return coretest.SQLResult{Columns: []string{"count"}, Rows: [][]driver.Value{{int64(1)}}}
	case c.Op == "query" && len(c.Args) > 0 && c.Args[0].Value == "D42":
		return coretest.SQLResult{Columns: []string{"id", "code", "price"}, Rows: [][]driver.Value{{int64(1), "D42", int64(100)}}}
	case c.Op == "query":
		return coretest.SQLResult{Columns: []string{"id", "code", "price"}}
	}
	return coretest.SQLResult{RowsAffected: 1, LastInsertID: 1}
}

// open plays the wrapper of gorm.Open: the real Open, then the after hook.
func open(t *testing.T, name string, respond func(coretest.SQLCall) coretest.SQLResult) (*gorm.DB, *coretest.SQLDriver) {
	t.Helper()
	d := coretest.NewSQLDriver(respond)
	d.Register(t, "rulec-gorm-test")
	sqlDB, err := sql.Open("rulec-gorm-test", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	db, err := gorm.Open(dialector{name, sqlDB}, &gorm.Config{})
	OpenAfter(db, err)
	if err != nil {
		t.Fatal(err)
	}
	return db, d
}

func TestOperationsAreSpansOverTheirSQL(t *testing.T) {
	rec := coretest.NewRecorder(t)
	db, d := open(t, "postgres", shop)
	ctx, request := core.Start(context.Background(), "GET /shop", trace.SpanKindServer)
	tx := db.WithContext(ctx)

	p := Product{Code: "D42", Price: 100}
	if err := tx.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	var got Product
	if err := tx.First(&got, "code = ?", "D42").Error; err != nil || got.Price != 100 {
		t.Fatalf("First = %+v, %v", got, err)
	}
	if err := tx.Model(&got).Update("Price", 200).Error; err != nil {
		t.Fatal(err)
	}
	if err := tx.First(&Product{}, "code = ?", "none").Error; !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Fatalf("First of a missing product: %v", err)
	}
	if err := tx.Exec("SELECT * FROM no_such_table").Error; !errors.Is(err, errNoTable) {
		t.Fatalf("Exec of a missing table: %v", err)
	}
	var count int64
	if err := tx.Table("products").Select("count(*)").Row().Scan(&count); err != nil || count != 1 {
		t.Fatalf("Row = %d, %v", count, err)
	}
	if err := tx.Delete(&got).Error; err != nil {
		t.Fatal(err)
	}
	request.End()

	spans := rec.Ended()
	var ops []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.Parent().SpanID() == request.SpanContext().SpanID() {
			ops = append(ops, s)
		}
	}
	want := "[gorm INSERT products gorm SELECT products gorm UPDATE products gorm SELECT products gorm RAW gorm ROW products gorm DELETE products]"
	if got := fmt.Sprint(coretest.SpanNames(ops)); got != want {
		t.Fatalf("operations %s, want %s", got, want)
	}
	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for i, op := range ops {
		byID[op.SpanContext().SpanID()] = op
		if op.SpanKind() != trace.SpanKindInternal {
			t.Errorf("%s kind %v", op.Name(), op.SpanKind())
		}
		operation := strings.Fields(op.Name())[1]
		coretest.CheckAttrs(t, op.Name(), coretest.Attrs(op), map[string]any{
			"db.system.name": "postgresql", "db.operation.name": operation,
		})
		if operation != "RAW" {
			coretest.CheckAttrs(t, op.Name(), coretest.Attrs(op), map[string]any{"db.collection.name": "products"})
		}
		// Only the raw statement failed; a record not found is an answer.
		if failed := i == 4; (op.Status().Code == codes.Error) != failed {
			t.Errorf("%s (#%d) status %v", op.Name(), i, op.Status())
		}
	}
	raw := ops[4]
	coretest.CheckAttrs(t, raw.Name(), coretest.Attrs(raw), map[string]any{"db.collection.name": nil, "error.type": "*errors.errorString"})
	if raw.Status().Description != errNoTable.Error() {
		t.Errorf("raw status %v", raw.Status())
	}

	// gorm sent each operation's SQL under the operation's span: the
	// databasesql plugin's spans nest there.
	sent := map[string][]string{}
	for _, c := range d.Calls() {
		if c.Op != "query" && c.Op != "exec" {
			continue
		}
		op, ok := byID[trace.SpanContextFromContext(c.Ctx).SpanID()]
		if !ok {
			t.Errorf("%s %q was not sent under an operation", c.Op, c.Query)
			continue
		}
		sent[op.Name()] = append(sent[op.Name()], c.Query)
	}
	if q := sent["gorm INSERT products"]; len(q) != 1 || !strings.HasPrefix(q[0], `INSERT INTO "products"`) {
		t.Errorf("INSERT sent %q", q)
	}
	if q := sent["gorm RAW"]; len(q) != 1 || q[0] != "SELECT * FROM no_such_table" {
		t.Errorf("RAW sent %q", q)
	}
	for _, op := range ops {
		if len(sent[op.Name()]) == 0 {
			t.Errorf("%s sent no SQL under its span", op.Name())
		}
	}
	// The operation's span is not a database/sql one: no duration twice.
	if len(coretest.SpansOfKind(spans, trace.SpanKindClient)) != 0 {
		t.Error("gorm made client spans")
	}
}

func TestUnknownDialectIsOtherSQL(t *testing.T) {
	rec := coretest.NewRecorder(t)
	db, _ := open(t, "fancydb", shop)
	if err := db.Exec("UPDATE products SET price = 1").Error; err != nil {
		t.Fatal(err)
	}
	s := coretest.FindSpan(t, rec.Ended(), "gorm RAW", trace.SpanKindInternal)
	coretest.CheckAttrs(t, s.Name(), coretest.Attrs(s), map[string]any{"db.system.name": "other_sql"})
	if s.Parent().IsValid() {
		t.Error("no caller's span, yet the operation has a parent")
	}
}

func TestFailedOpenIsIgnored(t *testing.T) {
	coretest.NewRecorder(t)
	OpenAfter(nil, errors.New("cannot connect"))
	db, err := gorm.Open(failingDialector{}, &gorm.Config{})
	OpenAfter(db, err)
	if err == nil {
		t.Fatal("Open with a failing dialector succeeded")
	}
}

type failingDialector struct{ dialector }

func (failingDialector) Initialize(*gorm.DB) error { return errors.New("cannot connect") }

func TestDisabledMakesNoSpans(t *testing.T) {
	rec := coretest.NewRecorder(t)
	db, d := open(t, "postgres", shop)
	coretest.Disable(t)
	if err := db.Create(&Product{Code: "X"}).Error; err != nil {
		t.Fatal(err)
	}
	if spans := rec.Ended(); len(spans) != 0 {
		t.Errorf("spans %v", coretest.SpanNames(spans))
	}
	if len(d.Calls()) == 0 {
		t.Error("the operation did not run")
	}
}
