package coretest

import (
	"sync"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"rulec.dev/runtime/core"
)

// UseGoroutineContext gives the runtime a goroutine context for the rest of
// the test, as a build by rulec has, so core.Attach parents spans begun
// without a context (clients that take none, calls made with
// context.Background()). Outside such a build there is no per-goroutine
// storage: this is one slot for the whole process, so tests using it must
// not run in parallel, and spans begun on other goroutines see it too.
func UseGoroutineContext(t testing.TB) {
	t.Helper()
	slotOnce.Do(func() {
		core.UseGoroutineContext(
			func() any { slotMu.Lock(); defer slotMu.Unlock(); return slot },
			func(v any) { slotMu.Lock(); defer slotMu.Unlock(); slot = v },
		)
	})
	t.Cleanup(func() { slotMu.Lock(); defer slotMu.Unlock(); slot = nil })
}

var (
	slotOnce sync.Once
	slotMu   sync.Mutex
	slot     any
)

// AttachSpan makes span the goroutine context for the rest of the test, as
// a traced request's handler has it (see UseGoroutineContext), so that
// spans and log records made without a context join it.
func AttachSpan(t testing.TB, span trace.Span) {
	t.Helper()
	UseGoroutineContext(t)
	previous := core.Attach(span)
	t.Cleanup(func() { core.Detach(previous) })
}
