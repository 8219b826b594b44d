package core

import (
	"os"
	"os/signal"
	"sync"
)

// appSignals records which of watchedSignals the application handles itself
// (via the os/signal hooks below), so that on a signal the runtime knows
// whether to re-raise it (default action) or leave it to the application.
var appSignals = struct {
	mu       sync.Mutex
	own      chan<- os.Signal // the runtime's channel: never counted
	handlers map[os.Signal]map[chan<- os.Signal]struct{}
	ignored  map[os.Signal]bool
}{
	handlers: map[os.Signal]map[chan<- os.Signal]struct{}{},
	ignored:  map[os.Signal]bool{},
}

// watched narrows sig to the watched signals; none means all, as in os/signal.
func watched(sig []os.Signal) []os.Signal {
	if len(sig) == 0 {
		return watchedSignals
	}
	var out []os.Signal
	for _, s := range sig {
		for _, w := range watchedSignals {
			if s == w {
				out = append(out, w)
			}
		}
	}
	return out
}

// NotifyBefore is the before hook of signal.Notify. Notify also undoes a
// previous Ignore of the signal.
func NotifyBefore(c chan<- os.Signal, sig []os.Signal) {
	appSignals.mu.Lock()
	defer appSignals.mu.Unlock()
	if c == nil || c == appSignals.own {
		return
	}
	for _, s := range watched(sig) {
		set := appSignals.handlers[s]
		if set == nil {
			set = map[chan<- os.Signal]struct{}{}
			appSignals.handlers[s] = set
		}
		set[c] = struct{}{}
		delete(appSignals.ignored, s)
	}
}

// StopBefore is the before hook of signal.Stop.
func StopBefore(c chan<- os.Signal) {
	appSignals.mu.Lock()
	defer appSignals.mu.Unlock()
	if c == nil || c == appSignals.own {
		return
	}
	for _, set := range appSignals.handlers {
		delete(set, c)
	}
}

// ResetBefore is the before hook of signal.Reset. Reset drops every channel
// but, like os/signal, does not undo Ignore.
func ResetBefore(sig []os.Signal) {
	appSignals.mu.Lock()
	defer appSignals.mu.Unlock()
	for _, s := range watched(sig) {
		delete(appSignals.handlers, s)
	}
}

// IgnoreBefore is the before hook of signal.Ignore: an ignored signal counts
// as handled by the application, so the runtime never re-raises it.
func IgnoreBefore(sig []os.Signal) {
	appSignals.mu.Lock()
	defer appSignals.mu.Unlock()
	for _, s := range watched(sig) {
		delete(appSignals.handlers, s)
		appSignals.ignored[s] = true
	}
}

func appHandles(sig os.Signal) bool {
	appSignals.mu.Lock()
	defer appSignals.mu.Unlock()
	return len(appSignals.handlers[sig]) > 0 || appSignals.ignored[sig]
}

// watchSignals subscribes the runtime to the watched signals so it can flush
// before the process dies. Signals ignored from birth (nohup, background
// jobs) are left alone: subscribing would un-ignore them.
func watchSignals() {
	var sigs []os.Signal
	for _, s := range watchedSignals {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		return
	}
	ch := make(chan os.Signal, len(sigs))
	appSignals.mu.Lock()
	appSignals.own = ch // before Notify, whose hook must skip this channel
	appSignals.mu.Unlock()
	signal.Notify(ch, sigs...)
	go func() {
		for sig := range ch {
			onSignal(sig)
		}
	}()
}

// onSignal keeps the process's signal behaviour unchanged. If the
// application handles sig it got the signal too and may keep running or
// drain, so spans are only flushed (exit paths shut down later). Otherwise
// the default action (termination) is restored and the signal re-raised
// after the final flush, so the exit status is the same as without rulec.
func onSignal(sig os.Signal) {
	defer func() { _ = recover() }()
	if appHandles(sig) {
		flush()
		return
	}
	shutdown()
	signal.Reset(sig)
	reraise(sig)
}
