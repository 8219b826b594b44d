package core

import (
	"os"
	"testing"
)

// resetAppSignals gives a test clean bookkeeping, restoring it afterwards.
func resetAppSignals(t *testing.T) {
	t.Helper()
	appSignals.mu.Lock()
	prevH, prevI := appSignals.handlers, appSignals.ignored
	appSignals.handlers = map[os.Signal]map[chan<- os.Signal]struct{}{}
	appSignals.ignored = map[os.Signal]bool{}
	appSignals.mu.Unlock()
	t.Cleanup(func() {
		appSignals.mu.Lock()
		appSignals.handlers, appSignals.ignored = prevH, prevI
		appSignals.mu.Unlock()
	})
}

func TestSignalBookkeeping(t *testing.T) {
	if len(watchedSignals) < 2 {
		t.Skip("no watched signals on this platform")
	}
	resetAppSignals(t)
	sigInt, sigTerm := watchedSignals[0], watchedSignals[1]
	handles := func() [2]bool { return [2]bool{appHandles(sigInt), appHandles(sigTerm)} }
	a, b := make(chan os.Signal, 1), make(chan os.Signal, 1)

	steps := []struct {
		name string
		do   func()
		want [2]bool
	}{
		{"start", func() {}, [2]bool{false, false}},
		{"notify a TERM", func() { NotifyBefore(a, []os.Signal{sigTerm}) }, [2]bool{false, true}},
		{"notify b all", func() { NotifyBefore(b, nil) }, [2]bool{true, true}},
		{"stop b", func() { StopBefore(b) }, [2]bool{false, true}},
		{"reset TERM", func() { ResetBefore([]os.Signal{sigTerm}) }, [2]bool{false, false}},
		{"ignore INT", func() { IgnoreBefore([]os.Signal{sigInt}) }, [2]bool{true, false}},
		{"reset keeps ignore", func() { ResetBefore(nil) }, [2]bool{true, false}},
		{"notify undoes ignore", func() { NotifyBefore(a, []os.Signal{sigInt}); StopBefore(a) }, [2]bool{false, false}},
		{"unwatched signal", func() { NotifyBefore(a, []os.Signal{os.Kill}) }, [2]bool{false, false}},
		{"nil channel", func() { NotifyBefore(nil, nil) }, [2]bool{false, false}},
	}
	for _, s := range steps {
		s.do()
		if got := handles(); got != s.want {
			t.Fatalf("%s: appHandles(INT, TERM) = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestSignalBookkeepingSkipsRuntimeChannel(t *testing.T) {
	if len(watchedSignals) == 0 {
		t.Skip("no watched signals on this platform")
	}
	resetAppSignals(t)
	own := make(chan os.Signal, 1)
	appSignals.mu.Lock()
	prev := appSignals.own
	appSignals.own = own
	appSignals.mu.Unlock()
	t.Cleanup(func() {
		appSignals.mu.Lock()
		appSignals.own = prev
		appSignals.mu.Unlock()
	})
	NotifyBefore(own, nil)
	if appHandles(watchedSignals[0]) {
		t.Fatal("the runtime's own channel counted as an application handler")
	}
}
