package core

import (
	"context"

	"go.opentelemetry.io/otel/trace"
)

// The hooks of declarative `span "NAME"` rules: the compiler calls them
// around a function with the span's name and kind as constants, so a rule
// traces a function (generic ones included) without Go code of its own.

// funcSpan follows one advised call from SpanStart to SpanEnd.
type funcSpan struct {
	span     trace.Span
	previous any // the goroutine context to restore
}

// SpanStart starts a span for a function that takes no context.Context: its
// parent is the goroutine's context, if any.
func SpanStart(name string, kind int) any {
	return SpanStartCtx(context.Background(), name, kind)
}

// SpanStartCtx starts a span as a child of the span in ctx, the advised
// function's own context.Context parameter. While the function runs, the
// span is its goroutine's context.
func SpanStartCtx(ctx context.Context, name string, kind int) any {
	if !Enabled() {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	_, span := Start(ctx, name, trace.SpanKind(kind))
	return &funcSpan{span: span, previous: Attach(span)}
}

// SpanEnd ends the span SpanStart began, recording err (the function's
// error result, nil if it has none).
func SpanEnd(state any, err error) {
	if fs, ok := state.(*funcSpan); ok {
		Detach(fs.previous)
		End(fs.span, err)
	}
}

// SpanSetAttributes sets key/value pairs (kv alternates a string key and its
// value) on the span SpanStart began, converting each value as
// AttributeValue does.
func SpanSetAttributes(state any, kv ...any) {
	fs, ok := state.(*funcSpan)
	if !ok || !fs.span.IsRecording() {
		return
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if key, ok := kv[i].(string); ok {
			fs.span.SetAttributes(AttributeValue(key, kv[i+1]))
		}
	}
}
