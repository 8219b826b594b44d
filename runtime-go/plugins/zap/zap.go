// Package zap holds rulec's hook on go.uber.org/zap (plugin "zap"): an
// entry written inside a traced call carries trace_id and span_id fields,
// from the goroutine's context (zap's API takes none), whatever core or
// encoder the application configured, sugared or not.
//
// Hook signatures are an ABI contract with the rulec compiler.
package zap

import (
	"go.uber.org/zap/zapcore"

	"rulec.dev/runtime/core"
)

// WriteBefore is the before hook of (*zapcore.CheckedEntry).Write, which
// every entry that passed its level check goes through.
func WriteBefore(fields *[]zapcore.Field) {
	sc, ok := core.LogSpanContext(nil)
	if !ok {
		return
	}
	f := *fields
	// A new array: the caller's may be shared, or have room past its length.
	*fields = append(f[:len(f):len(f)],
		zapcore.Field{Key: "trace_id", Type: zapcore.StringType, String: sc.TraceID().String()},
		zapcore.Field{Key: "span_id", Type: zapcore.StringType, String: sc.SpanID().String()})
}
