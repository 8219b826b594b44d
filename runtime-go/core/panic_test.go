package core

import (
	"strings"
	"testing"
)

type badStringer struct{}

func (badStringer) String() string { panic("String exploded") }

func TestHookPanickedCountsAndLogsOncePerHook(t *testing.T) {
	log := captureLog(t)
	before := HookPanics()
	for _, v := range []any{"boom", nil, badStringer{}, "again"} {
		HookPanicked("nethttp.ServerBefore", v)
	}
	HookPanicked("nethttp.ClientAfter", badStringer{})
	if got := HookPanics() - before; got != 5 {
		t.Fatalf("counted %d panics, want 5", got)
	}
	out := log.String()
	if n := strings.Count(out, "hook nethttp.ServerBefore panicked"); n != 1 {
		t.Errorf("ServerBefore logged %d times, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, "hook nethttp.ClientAfter panicked") || !strings.Contains(out, "goroutine") {
		t.Errorf("want a ClientAfter line with a stack:\n%s", out)
	}
}
