package core

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

func TestConsoleExporterWritesJSONLines(t *testing.T) {
	var out strings.Builder
	e := &consoleExporter{w: &out}
	stubs := tracetest.SpanStubs{
		{Name: "a", Attributes: []attribute.KeyValue{attribute.Int("n", 1)}},
		{Name: "b"},
	}
	if err := e.ExportSpans(context.Background(), stubs.Snapshots()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"name":"a"`) || !strings.Contains(lines[0], `"n":1`) {
		t.Fatalf("got:\n%s", out.String())
	}
}
