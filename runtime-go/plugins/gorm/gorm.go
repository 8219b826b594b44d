// Package gorm holds rulec's hooks on gorm.io/gorm (plugin "gorm"): every
// DB gorm.Open returns gets gorm callbacks (its public Callback API) that
// wrap each create, query, update, delete, row and raw operation in an
// INTERNAL span named by the operation and table; the SQL it sends is the
// databasesql plugin's CLIENT span beneath it, which also counts it in
// db.client.operation.duration (so this span does not, twice).
//
// Hook signatures are an ABI contract with the rulec compiler.
package gorm

import (
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"

	"rulec.dev/runtime/core"
)

var pluginSwitch = core.PackageSwitch()

const opKey = "rulec:span"

// registrar is a gorm callback being placed (its type is unexported).
type registrar interface {
	Register(name string, fn func(*gorm.DB)) error
}

// OpenAfter is the after hook of gorm.Open.
func OpenAfter(db *gorm.DB, err error) {
	if err != nil || db == nil {
		return
	}
	cb := db.Callback()
	for _, r := range []struct {
		operation     string
		before, after registrar
	}{
		{"INSERT", cb.Create().Before("*"), cb.Create().After("*")},
		{"SELECT", cb.Query().Before("*"), cb.Query().After("*")},
		{"UPDATE", cb.Update().Before("*"), cb.Update().After("*")},
		{"DELETE", cb.Delete().Before("*"), cb.Delete().After("*")},
		{"ROW", cb.Row().Before("*"), cb.Row().After("*")},
		{"RAW", cb.Raw().Before("*"), cb.Raw().After("*")},
	} {
		name := "rulec:" + r.operation
		if err := errors.Join(r.before.Register(name+":before", before(r.operation)), r.after.Register(name+":after", after)); err != nil {
			core.Logf("gorm: cannot trace %s operations: %v", r.operation, err)
		}
	}
}

func before(operation string) func(*gorm.DB) {
	return func(db *gorm.DB) {
		if !pluginSwitch.Load() || !core.Enabled() || db.Statement == nil || db.Statement.Context == nil {
			return
		}
		system := "other_sql"
		if db.Dialector != nil {
			system = core.DBSystemOfDriver(db.Dialector.Name())
		}
		attrs := []attribute.KeyValue{core.DBSystemName.String(system), core.DBOperationName.String(operation)}
		name := "gorm " + operation
		if table := db.Statement.Table; table != "" {
			attrs = append(attrs, core.DBCollectionName.String(table))
			name += " " + table
		}
		ctx, span := core.Start(db.Statement.Context, name, trace.SpanKindInternal, attrs...)
		// The SQL this operation sends is made under ctx: its span nests here.
		db.Statement.Context = ctx
		db.InstanceSet(opKey, span)
	}
}

func after(db *gorm.DB) {
	v, ok := db.InstanceGet(opKey)
	span, isSpan := v.(trace.Span)
	if !ok || !isSpan {
		return
	}
	err := db.Error
	if errors.Is(err, gorm.ErrRecordNotFound) { // an answer, not a failure
		err = nil
	}
	core.End(span, err)
}
