package core

import (
	"context"
	"errors"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

type fakeExporter struct {
	starts, exports, shutdowns int
	suppressed                 []bool
}

func (f *fakeExporter) Start(ctx context.Context) error {
	f.starts++
	f.suppressed = append(f.suppressed, Suppressed(ctx))
	return nil
}

func (f *fakeExporter) ExportSpans(ctx context.Context, _ []sdktrace.ReadOnlySpan) error {
	f.exports++
	f.suppressed = append(f.suppressed, Suppressed(ctx))
	return nil
}

func (f *fakeExporter) Shutdown(ctx context.Context) error {
	f.shutdowns++
	f.suppressed = append(f.suppressed, Suppressed(ctx))
	return nil
}

func TestQuietExporterStartsLazilyAndSuppresses(t *testing.T) {
	f := &fakeExporter{}
	e := wrapExporter(f)
	if f.starts != 0 {
		t.Fatal("started before the first export")
	}
	for i := 0; i < 2; i++ {
		if err := e.ExportSpans(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.starts != 1 || f.exports != 2 || f.shutdowns != 1 {
		t.Fatalf("starts=%d exports=%d shutdowns=%d", f.starts, f.exports, f.shutdowns)
	}
	for i, s := range f.suppressed {
		if !s {
			t.Fatalf("call %d ran without the suppression marker", i)
		}
	}
}

func TestQuietExporterShutdownBeforeStart(t *testing.T) {
	f := &fakeExporter{}
	e := wrapExporter(f)
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := e.ExportSpans(context.Background(), nil); !errors.Is(err, errExporterClosed) {
		t.Fatalf("export after shutdown: %v", err)
	}
	if f.starts+f.shutdowns != 0 {
		t.Fatal("a never-used exporter was started or shut down")
	}
}
