// Package slogtrace holds rulec's log/slog hooks (plugin "logcorrelation"):
// a record written inside a traced call gets trace_id and span_id
// attributes, whatever handler the application configured.
//
// Hook signatures are an ABI contract with the rulec compiler.
package slogtrace

import (
	"context"
	"log/slog"

	"rulec.dev/runtime/core"
)

// LogBefore is the before hook of (*slog.Logger).log, behind Info, Error,
// InfoContext and the rest.
func LogBefore(ctx context.Context, level slog.Level, msg string, args *[]any) {
	if sc, ok := core.LogSpanContext(ctx); ok {
		// A new array: the caller's may be shared, or have room past its length.
		a := *args
		*args = append(a[:len(a):len(a)], "trace_id", sc.TraceID().String(), "span_id", sc.SpanID().String())
	}
}

// LogAttrsBefore is the before hook of (*slog.Logger).logAttrs, behind LogAttrs.
func LogAttrsBefore(ctx context.Context, level slog.Level, msg string, attrs *[]slog.Attr) {
	if sc, ok := core.LogSpanContext(ctx); ok {
		a := *attrs
		*attrs = append(a[:len(a):len(a)], slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
}
