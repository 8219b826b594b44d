package coretest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
)

// JSONLines decodes a JSON log (one object a line, as slog's JSON handler,
// logrus', zap's and zerolog's write) into its records.
func JSONLines(t testing.TB, data []byte) []map[string]any {
	t.Helper()
	var records []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		records = append(records, r)
	}
	return records
}

// CheckLogIDs checks the trace_id and span_id fields of a log record: those
// of sc, or none at all when sc is not valid.
func CheckLogIDs(t testing.TB, what string, record map[string]any, sc trace.SpanContext) {
	t.Helper()
	tid, hasT := record["trace_id"]
	sid, hasS := record["span_id"]
	if !sc.IsValid() {
		if hasT || hasS {
			t.Errorf("%s: trace_id %v span_id %v, want none", what, tid, sid)
		}
		return
	}
	if tid != sc.TraceID().String() || sid != sc.SpanID().String() {
		t.Errorf("%s: trace_id %v span_id %v, want %s %s", what, tid, sid, sc.TraceID(), sc.SpanID())
	}
}

// CheckLogRecords decodes a JSON log (JSONLines), fails the test unless it
// holds one record per want, and checks the ids of each record against its
// want (CheckLogIDs), naming it by its field key (its message, say). It
// returns the records, for checks of their own fields.
func CheckLogRecords(t testing.TB, data []byte, key string, want ...trace.SpanContext) []map[string]any {
	t.Helper()
	records := JSONLines(t, data)
	if len(records) != len(want) {
		t.Fatalf("%d records, want %d: %v", len(records), len(want), records)
	}
	for i, r := range records {
		CheckLogIDs(t, fmt.Sprintf("record %d (%v)", i, r[key]), r, want[i])
	}
	return records
}

// DisabledInSpan starts a server span, makes it the goroutine's (see
// AttachSpan), then turns the runtime off (Disable) for the rest of the
// test, and returns a context of the span: with rulec off, a log hook adds
// no ids, neither the context's nor the goroutine's.
func DisabledInSpan(t testing.TB) context.Context {
	t.Helper()
	NewRecorder(t)
	ctx, span := core.Start(context.Background(), "GET /logs", trace.SpanKindServer)
	AttachSpan(t, span)
	Disable(t)
	return ctx
}
