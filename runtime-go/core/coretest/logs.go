package coretest

import (
	"bytes"
	"encoding/json"
	"testing"

	"go.opentelemetry.io/otel/trace"
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
