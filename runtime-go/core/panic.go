package core

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
)

var (
	hookPanics      atomic.Uint64
	hookPanicLogged sync.Map // hook name -> struct{}
)

// HookPanicked is called by the generated wrapper when a hook panicked and
// the panic was recovered. It counts every panic but logs each hook only
// once: a broken hook on a hot path must not flood stderr. It never panics.
func HookPanicked(hook string, v any) {
	defer func() { _ = recover() }()
	hookPanics.Add(1)
	if _, seen := hookPanicLogged.LoadOrStore(hook, struct{}{}); seen {
		return
	}
	Logf("hook %s panicked (logged once; later panics are only counted): %v\n%s", hook, v, debug.Stack())
}

// HookPanics returns how many hook panics have been recovered so far.
func HookPanics() uint64 { return hookPanics.Load() }

// ValuePanicked receives a panic raised while reading a value a rule names
// (an attribute, `record error`). A path through a nil pointer, such as a
// nil result returned beside an error, only leaves that attribute out; any
// other panic is reported as HookPanicked reports hook panics.
func ValuePanicked(rule string, v any) {
	if err, ok := v.(runtime.Error); ok && strings.Contains(err.Error(), "nil pointer dereference") {
		return
	}
	HookPanicked(rule, v)
}
