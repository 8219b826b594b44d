package zap

import (
	"bytes"
	"context"
	"testing"

	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"rulec.dev/runtime/core"
	"rulec.dev/runtime/core/coretest"
)

func newLogger(buf *bytes.Buffer) *zap.Logger {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(buf), zap.InfoLevel))
}

// write plays a Logger's Info, Warn...: Check, then the entry's Write,
// rewritten, whose hook gets a pointer to the variadic fields.
func write(l *zap.Logger, level zapcore.Level, msg string, fields ...zap.Field) {
	if ce := l.Check(level, msg); ce != nil {
		WriteBefore(&fields)
		ce.Write(fields...)
	}
}

func TestEntriesCarryTheGoroutinesSpanIDs(t *testing.T) {
	coretest.NewRecorder(t)
	var buf bytes.Buffer
	l := newLogger(&buf)
	write(l, zap.InfoLevel, "outside")
	_, request := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	coretest.AttachSpan(t, request)
	write(l, zap.InfoLevel, "inside", zap.Int("n", 1))
	write(l.With(zap.String("component", "orders")), zap.WarnLevel, "child logger")
	write(l, zap.DebugLevel, "below the level") // no entry: Check gives none to Write

	records := coretest.CheckLogRecords(t, buf.Bytes(), "msg", trace.SpanContext{}, request.SpanContext(), request.SpanContext())
	if records[1]["n"] != float64(1) || records[2]["component"] != "orders" {
		t.Errorf("the entries' own fields: %v, %v", records[1], records[2])
	}
}

func TestHookLeavesTheCallersFieldsAlone(t *testing.T) {
	coretest.NewRecorder(t)
	_, span := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	coretest.AttachSpan(t, span)
	backing := make([]zap.Field, 1, 3)
	backing[0] = zap.Int("n", 1)
	fields := backing[:1]
	WriteBefore(&fields)
	if len(fields) != 3 || backing[:3][1].Key != "" {
		t.Errorf("%d fields; the caller's spare room holds %q, want untouched", len(fields), backing[:3][1].Key)
	}
}

func TestNoIDsWhenDisabled(t *testing.T) {
	coretest.DisabledInSpan(t)
	var buf bytes.Buffer
	write(newLogger(&buf), zap.InfoLevel, "disabled")
	coretest.CheckLogRecords(t, buf.Bytes(), "msg", trace.SpanContext{})
}
