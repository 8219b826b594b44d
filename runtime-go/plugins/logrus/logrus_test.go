package logrus

import (
	"bytes"
	"context"
	"testing"

	"github.com/sirupsen/logrus"
	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// newLogger plays the rewritten logrus.New: the real constructor, then the
// after hook with the Logger it made; the Logger writes JSON to buf.
func newLogger(buf *bytes.Buffer) *logrus.Logger {
	l := logrus.New()
	NewAfter(l)
	l.SetOutput(buf)
	l.SetFormatter(&logrus.JSONFormatter{})
	return l
}

func TestEntriesCarryTheirSpansIDs(t *testing.T) {
	coretest.NewRecorder(t)
	var buf bytes.Buffer
	l := newLogger(&buf)
	l.Info("outside")
	ctx, request := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	l.WithContext(ctx).Info("with context")
	l.WithContext(context.Background()).Info("context without a span")
	coretest.AttachSpan(t, request)
	l.WithField("n", 3).Warn("without context")
	_, other := core.Start(context.Background(), "other", trace.SpanKindInternal)
	l.WithContext(trace.ContextWithSpan(context.Background(), other)).Error("another span's context")

	records := coretest.CheckLogRecords(t, buf.Bytes(), "msg",
		trace.SpanContext{}, request.SpanContext(), trace.SpanContext{}, request.SpanContext(), other.SpanContext())
	if records[3]["n"] != float64(3) || records[3]["level"] != "warning" {
		t.Errorf("the entry's own fields: %v", records[3])
	}
}

func TestNoIDsWhenDisabled(t *testing.T) {
	ctx := coretest.DisabledInSpan(t)
	var buf bytes.Buffer
	newLogger(&buf).WithContext(ctx).Info("disabled")
	coretest.CheckLogRecords(t, buf.Bytes(), "msg", trace.SpanContext{})
	NewAfter(nil) // a constructor's nil: nothing to hook
}
