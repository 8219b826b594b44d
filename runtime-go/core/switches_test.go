package core

import "testing"

// hookPackageSwitch stands for a hook package's `var pluginSwitch = core.PackageSwitch()`.
var hookPackageSwitch = PackageSwitch()

func TestPackageSwitchFollowsThePluginsBoundToItsPackage(t *testing.T) {
	t.Cleanup(func() {
		setDisabledPlugins(nil)
		switches.mu.Lock()
		delete(switches.byPackage, "rulec.dev/runtime/core")
		switches.mu.Unlock()
	})
	if !hookPackageSwitch.Load() {
		t.Fatal("a hook package no plugin is bound to must stay on (its own unit tests)")
	}
	if got := packageOf("rulec.dev/runtime/plugins/goredis.init"); got != "rulec.dev/runtime/plugins/goredis" {
		t.Fatalf("packageOf = %q", got)
	}

	BindHookPackages("alpha", "rulec.dev/runtime/core", "beta", "rulec.dev/runtime/core")
	setDisabledPlugins([]string{"alpha"})
	if !hookPackageSwitch.Load() {
		t.Error("off while plugin beta, which also calls the package, is on")
	}
	setDisabledPlugins([]string{"alpha", "beta"})
	if hookPackageSwitch.Load() {
		t.Error("on while every plugin calling the package is off")
	}
	setDisabledPlugins(nil)
	if !hookPackageSwitch.Load() {
		t.Error("not back on with its plugins")
	}
}
