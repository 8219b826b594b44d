"""`rulec check`: rules checked against the Go source they name, no build.

Standard-library targets are looked up in this Go installation's GOROOT,
module targets in the module cache (the newest cached version inside the
rule's range; a module not in the cache is not checked, and says so with
-v). Hooks are looked up in runtime-go/.
"""

from __future__ import annotations

import os
from pathlib import Path

from compiler import resolve
from compiler.golist import GoListError, go_env
from ruledsl.diagnostics import Diagnostic
from ruledsl.model import MAIN_PACKAGE, Plugin, Rule
from ruledsl.versions import VersionError, version_key


def _escape(module: str) -> str:
    # The module cache spells upper-case letters as "!" + lower case.
    return "".join("!" + c.lower() if c.isupper() else c for c in module)


def _package_source(plugin: Plugin, package: str, env: dict[str, str]) -> Path | None:
    if plugin.module is None:
        d = Path(env["GOROOT"]) / "src" / package
        return d if d.is_dir() else None
    if not (package == plugin.module or package.startswith(plugin.module + "/")):
        return None
    parent = Path(env["GOMODCACHE"]) / _escape(plugin.module)
    base = parent.name
    versions = []
    for d in parent.parent.glob(base + "@*") if parent.parent.is_dir() else []:
        v = d.name.split("@", 1)[1]
        try:
            if plugin.versions.contains(v):
                versions.append((version_key(v), d))
        except VersionError:
            continue
    if not versions:
        return None
    root = max(versions)[1]
    return root / package[len(plugin.module) + 1 :] if package != plugin.module else root


def _check_rule(plugin: Plugin, rule: Rule, env: dict[str, str], out: list[Diagnostic]) -> None:
    before, after, diags = resolve.find_hooks(rule)
    out.extend(diags)
    target = rule.joinpoint.target
    if target.package == MAIN_PACKAGE:
        return
    if plugin.module is not None and not (target.package == plugin.module or target.package.startswith(plugin.module + "/")):
        out.append(
            Diagnostic(rule.joinpoint.pos, "target-scope", f"{target.package} is not in module {plugin.module}, the plugin's target")
        )
        return
    src = _package_source(plugin, target.package, env)
    if src is None:
        return  # nothing to check against here
    files = tuple(p.name for p in src.glob("*.go") if not p.name.endswith("_test.go"))
    found = resolve.find_function(str(src), files, target.package, target)
    if found is None:
        out.append(Diagnostic(rule.joinpoint.pos, "unknown-target", f"{target} does not exist in {src}"))
        return
    if diags:
        return
    fitted = resolve.fit_hooks(rule, found[1], before.decl if before else None, after.decl if after else None)
    if isinstance(fitted, Diagnostic):
        out.append(fitted)


def check_sources(plugins: list[Plugin]) -> list[Diagnostic]:
    try:
        env = go_env(["GOROOT", "GOMODCACHE"])
    except (GoListError, OSError):
        env = {"GOROOT": os.environ.get("GOROOT", ""), "GOMODCACHE": ""}
    out: list[Diagnostic] = []
    for plugin in plugins:
        for rule in plugin.rules:
            _check_rule(plugin, rule, env, out)
    return out
