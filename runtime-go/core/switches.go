package core

import (
	"sort"
	"sync"
	"sync/atomic"
)

// Live per-plugin switches. Generated code asks for its plugins' switches in
// package initialisers, which may run before this package's init, so the
// registry uses zero-value globals only.
var switches struct {
	mu       sync.Mutex
	byName   map[string]*atomic.Bool
	disabled map[string]bool
	allOff   bool // OTEL_SDK_DISABLED: no plugin ever runs
}

// PluginSwitch returns the live switch of the named plugin, the same one for
// every caller. The wrappers rulec generates around hooks load it before
// calling a hook: one atomic load is all a switched-off plugin costs. It is
// an ABI contract with the rulec compiler.
func PluginSwitch(plugin string) *atomic.Bool {
	switches.mu.Lock()
	defer switches.mu.Unlock()
	sw := switches.byName[plugin]
	if sw == nil {
		if switches.byName == nil {
			switches.byName = map[string]*atomic.Bool{}
		}
		sw = new(atomic.Bool)
		sw.Store(!switches.allOff && !switches.disabled[plugin])
		switches.byName[plugin] = sw
	}
	return sw
}

// setDisabledPlugins turns off exactly the named plugins and turns every
// other one on; it returns the names that changed state, for the log.
func setDisabledPlugins(names []string) (off, on []string) {
	disabled := make(map[string]bool, len(names))
	for _, n := range names {
		disabled[n] = true
	}
	switches.mu.Lock()
	defer switches.mu.Unlock()
	switches.disabled = disabled
	for name, sw := range switches.byName {
		want := !switches.allOff && !disabled[name]
		if sw.Swap(want) != want {
			if want {
				on = append(on, name)
			} else {
				off = append(off, name)
			}
		}
	}
	sort.Strings(off)
	sort.Strings(on)
	return off, on
}

// switchAllOff turns every plugin off for good, so that with the SDK
// disabled a hook costs what a switched-off one does.
func switchAllOff() {
	switches.mu.Lock()
	defer switches.mu.Unlock()
	switches.allOff = true
	for _, sw := range switches.byName {
		sw.Store(false)
	}
}
