package slogtrace

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

// logf plays Logger.Log (Info, InfoContext... alike): it calls the Logger's
// log, rewritten, whose hook gets a pointer to the variadic arguments.
func logf(l *slog.Logger, ctx context.Context, level slog.Level, msg string, args ...any) {
	LogBefore(ctx, level, msg, &args)
	l.Log(ctx, level, msg, args...)
}

// logAttrs plays Logger.LogAttrs, which calls logAttrs, rewritten.
func logAttrs(l *slog.Logger, ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	LogAttrsBefore(ctx, level, msg, &attrs)
	l.LogAttrs(ctx, level, msg, attrs...)
}

func TestRecordsCarryTheirSpansIDs(t *testing.T) {
	coretest.NewRecorder(t)
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	logf(l, context.Background(), slog.LevelInfo, "outside")
	ctx, request := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	logf(l, ctx, slog.LevelInfo, "with context", "user", 42)
	coretest.AttachSpan(t, request)
	logf(l, context.Background(), slog.LevelInfo, "without context")
	logf(l, nil, slog.LevelWarn, "nil context") // slog takes a nil one
	logAttrs(l, context.Background(), slog.LevelWarn, "attrs", slog.Int("n", 1))
	_, other := core.Start(context.Background(), "other", trace.SpanKindInternal)
	logAttrs(l, trace.ContextWithSpan(context.Background(), other), slog.LevelError, "another span's context")

	rs, os := request.SpanContext(), other.SpanContext()
	records := coretest.CheckLogRecords(t, buf.Bytes(), "msg", trace.SpanContext{}, rs, rs, rs, rs, os)
	if records[1]["user"] != float64(42) || records[4]["n"] != float64(1) {
		t.Errorf("the records' own attributes: %v, %v", records[1], records[4])
	}
}

func TestHooksLeaveTheCallersArgumentsAlone(t *testing.T) {
	coretest.NewRecorder(t)
	ctx, _ := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	backing := make([]any, 2, 6)
	backing[0], backing[1] = "user", 42
	args := backing[:2]
	LogBefore(ctx, slog.LevelInfo, "m", &args)
	if len(args) != 6 || backing[:3][2] != nil {
		t.Errorf("%d args; the caller's spare room holds %v, want untouched", len(args), backing[:3][2])
	}
	attrBacking := make([]slog.Attr, 0, 2)
	attrs := attrBacking
	LogAttrsBefore(ctx, slog.LevelInfo, "m", &attrs)
	if len(attrs) != 2 || attrBacking[:1][0].Key != "" {
		t.Errorf("%d attrs; the caller's spare room holds %q, want untouched", len(attrs), attrBacking[:1][0].Key)
	}
}

func TestNoIDsWhenDisabled(t *testing.T) {
	ctx := coretest.DisabledInSpan(t)
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	logf(l, ctx, slog.LevelInfo, "disabled")
	logAttrs(l, ctx, slog.LevelInfo, "disabled")
	coretest.CheckLogRecords(t, buf.Bytes(), "msg", trace.SpanContext{}, trace.SpanContext{})
}
