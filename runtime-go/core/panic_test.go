package core

import (
	"strings"
	"sync/atomic"
	"testing"
)

// panicRun makes hook names unique per run: "logged once" is per process.
var panicRun atomic.Int32

type badStringer struct{}

func (badStringer) String() string { panic("String exploded") }

func TestHookPanickedCountsAndLogsOncePerHook(t *testing.T) {
	log := captureLog(t)
	run := strings.Repeat("x", int(panicRun.Add(1)))
	before := HookPanics()
	for _, v := range []any{"boom", nil, badStringer{}, "again"} {
		HookPanicked("nethttp.ServerBefore"+run, v)
	}
	HookPanicked("nethttp.ClientAfter"+run, badStringer{})
	if got := HookPanics() - before; got != 5 {
		t.Fatalf("counted %d panics, want 5", got)
	}
	out := log.String()
	if n := strings.Count(out, "hook nethttp.ServerBefore"+run+" panicked"); n != 1 {
		t.Errorf("ServerBefore logged %d times, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, "hook nethttp.ClientAfter"+run+" panicked") || !strings.Contains(out, "goroutine") {
		t.Errorf("want a ClientAfter line with a stack:\n%s", out)
	}
}
