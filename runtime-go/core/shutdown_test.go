package core

import (
	"context"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// stuckExporter never finishes an export, like a collector that hangs.
type stuckExporter struct{ release chan struct{} }

func (e stuckExporter) ExportSpans(ctx context.Context, _ []sdktrace.ReadOnlySpan) error {
	<-e.release
	return nil
}

func (e stuckExporter) Shutdown(context.Context) error { return nil }

func TestShutdownIsBoundedAndIdempotent(t *testing.T) {
	exp := stuckExporter{release: make(chan struct{})}
	defer close(exp.release)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(exp)))
	t.Cleanup(UseTestProvider(tp))
	prev := flushTimeout
	flushTimeout = 100 * time.Millisecond
	t.Cleanup(func() { flushTimeout = prev })
	captureLog(t)

	_, span := Start(context.Background(), "stuck", 0)
	span.End()
	start := time.Now()
	var wg sync.WaitGroup
	for _, exit := range []func(){MainReturn, func() { ExitBefore(1) }, MainReturn} {
		wg.Add(1)
		go func() { defer wg.Done(); exit() }()
	}
	wg.Wait()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("exit paths took %v with a stuck exporter", d)
	}
}
