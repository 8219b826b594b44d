"""`rulec check`: rules checked against the Go source they name, no build.

Standard-library targets are looked up in this Go installation's GOROOT,
module targets in the module cache (the newest cached version inside the
rule's range; a module not in the cache is not checked). With `releases`,
each module target is checked against the real source of the oldest and the
newest release inside its range instead, downloaded through the module
proxy by the go command. Hooks are looked up in runtime-go/.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from compiler import resolve
from compiler.golist import GoListError, go_env
from ruledsl.diagnostics import Diagnostic
from ruledsl.model import MAIN_PACKAGE, Plugin, Rule
from ruledsl.versions import VersionError, version_key


def _escape(module: str) -> str:
    # The module cache spells upper-case letters as "!" + lower case.
    return "".join("!" + c.lower() if c.isupper() else c for c in module)


def _cached_module_root(plugin: Plugin, env: dict[str, str]) -> Path | None:
    """The newest version of the plugin's module in the module cache, in range."""
    assert plugin.module is not None
    parent = Path(env["GOMODCACHE"]) / _escape(plugin.module)
    versions = []
    for d in parent.parent.glob(parent.name + "@*") if parent.parent.is_dir() else []:
        v = d.name.split("@", 1)[1]
        try:
            if plugin.versions.contains(v):
                versions.append((version_key(v), d))
        except VersionError:
            continue
    return max(versions)[1] if versions else None


def _package_source(plugin: Plugin, package: str, env: dict[str, str], module_root: Path | None) -> Path | None:
    if plugin.module is None:
        d = Path(env["GOROOT"]) / "src" / package
        return d if d.is_dir() else None
    if module_root is None:
        return None
    return module_root / package[len(plugin.module) + 1 :] if package != plugin.module else module_root


def _go_json(args: list[str]) -> list[dict]:
    """Run a go command that prints JSON values, outside any module."""
    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.run(["go", *args], cwd=d, capture_output=True, text=True, env={**os.environ, "GOFLAGS": "-mod=mod"})
    if proc.returncode != 0 and not proc.stdout.strip():
        raise GoListError(proc.stderr.strip())
    decoder, text, i, out = json.JSONDecoder(), proc.stdout, 0, []
    while i < len(text.rstrip()):
        value, i = decoder.raw_decode(text, i)
        out.append(value)
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def release_roots(plugin: Plugin) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """The oldest and newest release of the plugin's module inside its range,
    downloaded into the module cache: [(version, directory)]."""
    assert plugin.module is not None
    try:
        (listing,) = _go_json(["list", "-m", "-versions", "-json", plugin.module])
        tagged = listing.get("Versions") or []
        inside = sorted((v for v in tagged if "-" not in v and plugin.versions.contains(v)), key=version_key)
        if not tagged:
            # A module with no tagged release: its range runs over commits,
            # from the lower bound's to the newest (@latest).
            (latest,) = _go_json(["list", "-m", "-json", f"{plugin.module}@latest"])
            inside = [v for v in (plugin.versions.lower_bound(), latest["Version"]) if v and plugin.versions.contains(v)]
        if not inside:
            why = f"no release of {plugin.module} is inside {plugin.versions}"
            return [], [Diagnostic(plugin.target_pos, "no-release", why)]
        wanted = sorted({inside[0], inside[-1]}, key=version_key)
        downloads = _go_json(["mod", "download", "-json", *(f"{plugin.module}@{v}" for v in wanted)])
    except (GoListError, VersionError, ValueError) as e:
        return [], [Diagnostic(plugin.target_pos, "no-release", f"cannot fetch releases of {plugin.module}: {e}")]
    roots, diags = [], []
    for d in downloads:
        if d.get("Error"):
            diags.append(Diagnostic(plugin.target_pos, "no-release", f"cannot download {plugin.module}@{d['Version']}: {d['Error']}"))
        else:
            roots.append((d["Version"], Path(d["Dir"])))
    return roots, diags


def _check_rule(plugin: Plugin, rule: Rule, env: dict[str, str], module_root: Path | None, out: list[Diagnostic]) -> None:
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
    src = _package_source(plugin, target.package, env, module_root)
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


def check_sources(plugins: list[Plugin], releases: bool = False) -> list[Diagnostic]:
    try:
        env = go_env(["GOROOT", "GOMODCACHE"])
    except (GoListError, OSError):
        env = {"GOROOT": os.environ.get("GOROOT", ""), "GOMODCACHE": ""}
    out: list[Diagnostic] = []
    for plugin in plugins:
        roots: list[Path | None] = [None]
        if plugin.module is not None:
            if releases:
                found, diags = release_roots(plugin)
                out.extend(diags)
                roots = [d for _, d in found]
            else:
                roots = [_cached_module_root(plugin, env)]
        for root in roots:
            for rule in plugin.rules:
                _check_rule(plugin, rule, env, root, out)
    # A hook problem is the same against every release: say it once.
    return list(dict.fromkeys(out))
