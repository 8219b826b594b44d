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

	records := coretest.JSONLines(t, buf.Bytes())
	if len(records) != 5 {
		t.Fatalf("%d records", len(records))
	}
	want := []trace.SpanContext{{}, request.SpanContext(), {}, request.SpanContext(), other.SpanContext()}
	for i, r := range records {
		coretest.CheckLogIDs(t, r["msg"].(string), r, want[i])
	}
	if records[3]["n"] != float64(3) || records[3]["level"] != "warning" {
		t.Errorf("the entry's own fields: %v", records[3])
	}
}

func TestNoIDsWhenDisabled(t *testing.T) {
	coretest.NewRecorder(t)
	_, span := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	ctx := trace.ContextWithSpan(context.Background(), span)
	coretest.AttachSpan(t, span)
	coretest.Disable(t)
	var buf bytes.Buffer
	newLogger(&buf).WithContext(ctx).Info("disabled")
	records := coretest.JSONLines(t, buf.Bytes())
	if len(records) != 1 {
		t.Fatalf("%d records", len(records))
	}
	coretest.CheckLogIDs(t, "disabled", records[0], trace.SpanContext{})
	NewAfter(nil) // a constructor's nil: nothing to hook
}
