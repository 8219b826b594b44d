package core

import (
	"context"
	"fmt"
	"runtime/debug"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"rulec.dev/runtime/semconv"
)

// Start starts a span of the given kind as a child of the span in ctx or,
// when ctx has none, of the goroutine's context (see Attach). Server and
// consumer spans take their parent from the wire only. Attributes are passed
// at start so that samplers can see them.
func Start(ctx context.Context, name string, kind trace.SpanKind, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if kind != trace.SpanKindServer && kind != trace.SpanKindConsumer {
		ctx = WithGoroutineParent(ctx)
	}
	return Tracer().Start(ctx, name, trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
}

// End records err, if any, then ends span.
func End(span trace.Span, err error) {
	RecordError(span, err)
	span.End()
}

// RecordError marks span as failed by err: an exception event, error.type and
// an Error status. A nil err is a no-op.
func RecordError(span trace.Span, err error) {
	if err == nil {
		return
	}
	span.RecordError(err)
	SetError(span, ErrorType(err), err.Error())
}

// RecordPanic marks span as failed by a panic: an exception event with the
// panic's type, value and stack (taken in the deferred advice, so it still
// holds the panicking frames), and an Error status.
func RecordPanic(span trace.Span, v any) {
	msg := fmt.Sprint(v)
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionType(fmt.Sprintf("%T", v)),
		semconv.ExceptionMessage(msg),
		semconv.ExceptionStacktrace(string(debug.Stack())),
	))
	SetError(span, fmt.Sprintf("%T", v), "panic: "+msg)
}

// SetError marks span as failed without an exception event, for failures that
// are not Go errors (e.g. an HTTP 500). errType follows error.type rules:
// low cardinality, e.g. a status code or a type name.
func SetError(span trace.Span, errType, description string) {
	if errType == "" {
		errType = semconv.ErrorTypeOther.Value.AsString()
	}
	span.SetAttributes(semconv.ErrorTypeKey.String(errType))
	span.SetStatus(codes.Error, description)
}

// ErrorType is the error.type value for err: its Go type name, which is low
// cardinality unlike the message.
func ErrorType(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf("%T", err)
}
