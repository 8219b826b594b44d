package core

import (
	"context"

	"go.opentelemetry.io/otel/trace"
)

// The hooks of declarative `span "NAME"` rules: the compiler calls them
// around a function with the span's name and kind as constants, so a rule
// traces a function (generic ones included) without Go code of its own.

// SpanStart starts a span for a function that takes no context.Context.
func SpanStart(name string, kind int) any {
	return SpanStartCtx(context.Background(), name, kind)
}

// SpanStartCtx starts a span as a child of the span in ctx, the advised
// function's own context.Context parameter.
func SpanStartCtx(ctx context.Context, name string, kind int) any {
	if !Enabled() {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	_, span := Start(ctx, name, trace.SpanKind(kind))
	return span
}

// SpanEnd ends the span SpanStart began, recording err (the function's
// error result, nil if it has none).
func SpanEnd(state any, err error) {
	if span, ok := state.(trace.Span); ok {
		End(span, err)
	}
}
