"""The generated bridge, compiled and run for real: a hook that panics is
contained by its wrapper and counted by the runtime, the program carries on,
and a panic of the program's own passes through the advice untouched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from rulec.compiler import gosource, trampoline
from rulec.compiler.paths import RUNTIME_DIR
from rulec.compiler.planner import func_edits
from rulec.compiler.resolve import Advice, Hook, fit_hooks
from rulec.compiler.rewrite.rewriter import rewrite_file
from rulec.ruledsl.diagnostics import Pos
from rulec.ruledsl.model import FuncTarget, HookRef, JoinPoint, Rule

TARGET = """package shop

import "errors"

func Charge(amount int) (int, error) {
	if amount < 0 {
		panic("negative amount")
	}
	if amount == 0 {
		return 0, errors.New("nothing to charge")
	}
	return amount * 2, nil
}
"""

HOOKS = """package hooks

import "fmt"

func Before(amount *int) any {
	if *amount == 13 {
		panic("hook exploded")
	}
	return *amount
}

func After(state any, n int, err error) {
	fmt.Printf("after %v -> %d %v\\n", state, n, err)
}
"""

MAIN = """package main

import (
	"fmt"

	"example.com/app/shop"
	"rulec.dev/runtime/core"
	_ "example.com/app/hooks"
)

func init() { core.StartRuntime() } // what rulec's generated file in a root package does

func main() {
	n, err := shop.Charge(13)
	fmt.Printf("charged %d %v, hook panics %d\\n", n, err, core.HookPanics())
	defer func() { fmt.Printf("recovered %v\\n", recover()) }()
	shop.Charge(-1)
}
"""


def _advice(target_src: bytes) -> Advice:
    pos = Pos("t.gorule", 1, 1)
    rule = Rule(
        "shop",
        "charge",
        JoinPoint("call", FuncTarget("example.com/app/shop", "Charge"), pos),
        HookRef("example.com/app/hooks", "Before", pos),
        HookRef("example.com/app/hooks", "After", pos),
        pos,
    )
    hooks = gosource.parse(HOOKS.encode(), "example.com/app/hooks")
    before = Hook(rule.before, hooks.find(None, "Before"))
    after = Hook(rule.after, hooks.find(None, "After"))
    decl = gosource.parse(target_src, "example.com/app/shop").find(None, "Charge")
    before_args, after_args, state = fit_hooks(rule, decl, before.decl, after.decl)
    return Advice(rule, "example.com/app/shop", "shop", "shop.go", decl, before, after, before_args, after_args, state)


@pytest.mark.e2e
def test_hook_panic_is_contained_and_user_panic_passes_through(tmp_path: Path) -> None:
    app = tmp_path / "app"
    for d in ("shop", "hooks"):
        (app / d).mkdir(parents=True)
    advice = _advice(TARGET.encode())
    edits = func_edits([advice])["shop.go"]
    (app / "shop" / "shop.go").write_bytes(rewrite_file(TARGET.encode(), edits, "example.com/app/shop", str(app / "shop" / "shop.go")))
    (app / "shop" / "zz_rulec_generated.go").write_text(trampoline.generate("example.com/app/shop", "shop", [advice], [], "test"))
    (app / "hooks" / "hooks.go").write_text(HOOKS)
    (app / "main.go").write_text(MAIN)
    (app / "go.mod").write_text(
        f"module example.com/app\n\ngo 1.23\n\nrequire rulec.dev/runtime v0.0.0\n\nreplace rulec.dev/runtime => {RUNTIME_DIR}\n"
    )
    (app / "go.sum").write_text(Path(RUNTIME_DIR, "go.sum").read_text())
    env = {**os.environ, "OTEL_TRACES_EXPORTER": "none", "GOFLAGS": "-mod=mod"}
    proc = subprocess.run(["go", "run", "."], cwd=app, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    # The before hook panicked: the call still ran (13*2), and with no state
    # there was nothing for the after hook to finish.
    # The program's own panic ran the after hook and reached the program's recover.
    assert proc.stdout.splitlines() == [
        "charged 26 <nil>, hook panics 1",
        "after -1 -> 0 <nil>",
        "recovered negative amount",
    ]
    assert "hook exploded" in proc.stderr  # logged once, with the hook's name

    # The plugin switched off by the live configuration: no hook runs at all.
    config = tmp_path / "live.toml"
    config.write_text('[plugins]\ndisabled = ["shop"]\n')
    env["RULEC_CONFIG_FILE"] = str(config)
    proc = subprocess.run(["go", "run", "."], cwd=app, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["charged 26 <nil>, hook panics 0", "recovered negative amount"]
    assert "plugins disabled: shop" in proc.stderr


def test_a_root_binds_each_hook_package_to_the_plugins_that_call_it() -> None:
    pairs = (("goredis", "rulec.dev/runtime/plugins/goredis"), ("nethttp", "rulec.dev/runtime/plugins/nethttp"))
    text = trampoline.generate("example.com/app", "main", [], ["rulec.dev/runtime/plugins/goredis"], "d", start=True, bindings=pairs)
    init = text[text.index("func init() {") :]
    # Bound first, then started: the switches hold before any hook can run.
    assert init.index("__rulec_bind(") < init.index("__rulec_start()")
    assert '__rulec_bind("goredis", "rulec.dev/runtime/plugins/goredis", "nethttp", "rulec.dev/runtime/plugins/nethttp")' in init
    assert f"//go:linkname __rulec_bind {trampoline.BIND_HOOK}" in text
    assert "__rulec_bind" not in trampoline.generate("example.com/app", "main", [], [], "d", start=True)
