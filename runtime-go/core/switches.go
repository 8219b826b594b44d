package core

import (
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Live per-plugin switches. Generated code asks for its plugins' switches in
// package initialisers, which may run before this package's init, so the
// registry uses zero-value globals only.
var switches struct {
	mu        sync.Mutex
	byName    map[string]*atomic.Bool
	byPackage map[string]*packageSwitch
	disabled  map[string]bool
	allOff    bool // OTEL_SDK_DISABLED: no plugin ever runs
}

// packageSwitch is a hook package's switch: on while any plugin whose rules
// call the package's hooks is on (or while the compiler has named none, as
// in the package's own unit tests).
type packageSwitch struct {
	on      atomic.Bool
	plugins []string
}

func (p *packageSwitch) refresh() {
	on := len(p.plugins) == 0
	for _, name := range p.plugins {
		on = on || !switches.disabled[name]
	}
	p.on.Store(on && !switches.allOff)
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

// PackageSwitch returns the live switch of the hook package it is called
// from (in a package-level var), for work a hook sets up to run later,
// outside any generated wrapper: a go-redis hook added to a client, a gRPC
// stats handler. A hook package never names its plugin: the plugin lives in
// the .gorule file, and the compiler tells the runtime which plugins call
// which hook packages (BindHookPackages).
func PackageSwitch() *atomic.Bool {
	pc, _, _, _ := runtime.Caller(1)
	return packageSwitchOf(packageOf(runtime.FuncForPC(pc).Name()))
}

// packageOf is the import path in a function's symbol name
// ("rulec.dev/runtime/plugins/goredis.init" → "rulec.dev/runtime/plugins/goredis").
func packageOf(symbol string) string {
	slash := strings.LastIndexByte(symbol, '/') + 1
	if dot := strings.IndexByte(symbol[slash:], '.'); dot >= 0 {
		return symbol[:slash+dot]
	}
	return symbol
}

func packageSwitchOf(pkg string) *atomic.Bool {
	switches.mu.Lock()
	defer switches.mu.Unlock()
	return &packageSwitchLocked(pkg).on
}

func packageSwitchLocked(pkg string) *packageSwitch {
	sw := switches.byPackage[pkg]
	if sw == nil {
		if switches.byPackage == nil {
			switches.byPackage = map[string]*packageSwitch{}
		}
		sw = new(packageSwitch)
		sw.refresh()
		switches.byPackage[pkg] = sw
	}
	return sw
}

// BindHookPackages records which plugins call which hook packages, as
// (plugin, package) pairs, flattened. Each root package's generated init
// calls it, before the runtime starts. It is an ABI contract with the rulec
// compiler.
func BindHookPackages(pairs ...string) {
	switches.mu.Lock()
	defer switches.mu.Unlock()
	for i := 0; i+1 < len(pairs); i += 2 {
		sw := packageSwitchLocked(pairs[i+1])
		if !contains(sw.plugins, pairs[i]) {
			sw.plugins = append(sw.plugins, pairs[i])
		}
		sw.refresh()
	}
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
	for _, sw := range switches.byPackage {
		sw.refresh()
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
	for _, sw := range switches.byPackage {
		sw.refresh()
	}
}
