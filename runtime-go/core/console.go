package core

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// consoleExporter (OTEL_TRACES_EXPORTER=console) writes one JSON line per
// span to stderr: stdout belongs to the application.
type consoleExporter struct {
	mu sync.Mutex
	w  io.Writer
}

type consoleSpan struct {
	Name       string         `json:"name"`
	Kind       string         `json:"kind"`
	TraceID    string         `json:"trace_id"`
	SpanID     string         `json:"span_id"`
	ParentID   string         `json:"parent_span_id,omitempty"`
	Start      time.Time      `json:"start"`
	DurationMS float64        `json:"duration_ms"`
	Status     string         `json:"status"`
	Attributes map[string]any `json:"attributes,omitempty"`
}

func (e *consoleExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	enc := json.NewEncoder(e.w)
	for _, s := range spans {
		out := consoleSpan{
			Name:       s.Name(),
			Kind:       s.SpanKind().String(),
			TraceID:    s.SpanContext().TraceID().String(),
			SpanID:     s.SpanContext().SpanID().String(),
			Start:      s.StartTime(),
			DurationMS: float64(s.EndTime().Sub(s.StartTime())) / float64(time.Millisecond),
			Status:     s.Status().Code.String(),
		}
		if p := s.Parent(); p.IsValid() {
			out.ParentID = p.SpanID().String()
		}
		if attrs := s.Attributes(); len(attrs) > 0 {
			out.Attributes = make(map[string]any, len(attrs))
			for _, kv := range attrs {
				out.Attributes[string(kv.Key)] = kv.Value.AsInterface()
			}
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return nil
}

func (e *consoleExporter) Shutdown(context.Context) error { return nil }
