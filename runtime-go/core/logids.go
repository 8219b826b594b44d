package core

import (
	"context"
	"os"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// logCorrelation is RULEC_LOG_CORRELATION: log records written inside a
// traced call carry its trace and span ids unless it is "false".
var logCorrelation = !strings.EqualFold(strings.TrimSpace(os.Getenv("RULEC_LOG_CORRELATION")), "false")

// LogSpanContext is the span a log record written under ctx belongs to: the
// one in ctx, else the goroutine's (a log call rarely gets the request's
// context). ok is false when there is none, or correlation is off.
func LogSpanContext(ctx context.Context) (sc trace.SpanContext, ok bool) {
	if !logCorrelation || !Enabled() {
		return sc, false
	}
	if ctx != nil {
		if sc = trace.SpanContextFromContext(ctx); sc.IsValid() {
			return sc, true
		}
	}
	return goroutineSpanContext()
}
