"""`rulec check`: rules checked against the Go source they name, no build.

Standard-library targets are looked up in this Go installation's GOROOT,
module targets in the module cache (the newest cached version inside the
rule's range; a module not in the cache is not checked). With `releases`,
each module target is checked against the real source of the oldest and the
newest release inside its range instead, downloaded through the module
proxy by the go command; and each standard-library target, and the
goroutine-context edit of package runtime, against every Go release rulec
is tested with (the oldest, and the newest patch of each), fetched as the
go command fetches toolchains. Hooks are looked up in runtime-go/.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from rulec.compiler import gorelease, goroutine_context, joinpoints
from rulec.compiler.golist import Build, GoListError, go_env, go_list
from rulec.compiler.resolve.conflicts import ConflictLog
from rulec.compiler.resolve.hooks import find_hooks, user_hook_packages
from rulec.ruledsl.diagnostics import Diagnostic, Pos
from rulec.ruledsl.model import MAIN_PACKAGE, Plugin, Rule
from rulec.ruledsl.versions import VersionError, version_key


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
    """Where `package` is: under module_root, the module's (or GOROOT's) directory."""
    if plugin.module is None:
        d = Path(module_root or env["GOROOT"]) / "src" / package
        return d if d.is_dir() else None
    if module_root is None:
        return None
    return module_root / package[len(plugin.module) + 1 :] if package != plugin.module else module_root


def _go_json(args: list[str]) -> list[dict]:
    """Run a go command that prints JSON values, outside any module."""
    with tempfile.TemporaryDirectory() as d:
        return _go_json_in(args, d, {"GOFLAGS": "-mod=mod"})


def _go_json_in(args: list[str], cwd: str, env: dict[str, str] | None = None) -> list[dict]:
    proc = subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
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
    downloaded into the module cache: [(version, directory)]. The oldest is
    the range's lower bound where it names one (a proxy may list only some
    releases), the newest the newest listed, or the rule's `tested` release
    where the proxy lists none."""
    assert plugin.module is not None
    try:
        inside = sorted({*(v for v in _listed(plugin) if plugin.versions.contains(v)), *filter(None, [plugin.tested])}, key=version_key)
        if not inside:
            why = f"no release of {plugin.module} is inside {plugin.versions}"
            return [], [Diagnostic(plugin.target_pos, "no-release", why)]
        lower = plugin.versions.lower_bound()
        oldest = [lower] if lower and plugin.versions.contains(lower) else inside[:1]
        newest = inside[-1:]
        wanted = sorted({*oldest, *newest}, key=version_key)
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


def _listed(plugin: Plugin) -> list[str]:
    """The module's releases the proxy lists, oldest first; none where it
    lists none or refuses to and the rule names the release it was tested with."""
    assert plugin.module is not None
    try:
        (listing,) = _go_json(["list", "-m", "-versions", "-json", plugin.module])
        tagged = listing.get("Versions") or []
        if tagged:
            return sorted((v for v in tagged if "-" not in v), key=version_key)
        # A module with no tagged release: its range runs over commits, from
        # the lower bound's to the newest (@latest).
        (latest,) = _go_json(["list", "-m", "-json", f"{plugin.module}@latest"])
        return [latest["Version"]]
    except GoListError:
        if plugin.tested:
            return []
        raise


_TOOLCHAIN = "golang.org/toolchain"
# Where the goroutine-context edit's problems are reported: it has no .gorule line.
_RUNTIME_EDIT = Pos(str(Path(goroutine_context.__file__).resolve()), 1, 1)


def go_release_roots() -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """The GOROOTs of the Go releases rulec is tested with: the oldest, and
    the newest patch release of each tested minor release, fetched into the
    module cache as the go command fetches toolchains: [(version, GOROOT)]."""
    try:
        host = go_env(["GOHOSTOS", "GOHOSTARCH"])
        suffix = f".{host['GOHOSTOS']}-{host['GOHOSTARCH']}"
        (listing,) = _go_json(["list", "-m", "-versions", "-json", _TOOLCHAIN])
        releases: dict[tuple[int, int], list[str]] = {}
        for v in listing.get("Versions") or []:
            name = v.removeprefix("v0.0.1-go").removesuffix(suffix)
            if v.endswith(suffix) and name.count(".") == 2 and name.replace(".", "").isdigit():
                major, minor, _ = (int(x) for x in name.split("."))
                if gorelease.TESTED[0] <= (major, minor) <= gorelease.TESTED[1]:
                    releases.setdefault((major, minor), []).append(name)
        if not releases:
            raise ValueError(f"the module proxy lists no release of Go {gorelease.tested_range()}")
        ordered = {minor: sorted(names, key=version_key) for minor, names in sorted(releases.items())}
        wanted = sorted({next(iter(ordered.values()))[0], *(names[-1] for names in ordered.values())}, key=version_key)
        downloads = _go_json(["mod", "download", "-json", *(f"{_TOOLCHAIN}@v0.0.1-go{v}{suffix}" for v in wanted)])
    except (GoListError, ValueError) as e:
        return [], [Diagnostic(_RUNTIME_EDIT, "no-release", f"cannot fetch the Go releases rulec is tested with: {e}")]
    roots, diags = [], []
    for version, d in zip(wanted, downloads, strict=True):
        if d.get("Error"):
            diags.append(Diagnostic(_RUNTIME_EDIT, "no-release", f"cannot download Go {version}: {d['Error']}"))
        else:
            roots.append((version, Path(d["Dir"])))
    return roots, diags


def _std_roots(plugin: Plugin, go_releases: list[tuple[str, Path]]) -> tuple[list[Path | None], list[Diagnostic]]:
    """The GOROOTs among `go_releases` inside the plugin's range."""
    inside = [d for v, d in go_releases if plugin.versions.contains(v)]
    if inside or not go_releases:
        return list(inside), []
    why = f"no Go release rulec is tested with ({gorelease.tested_range()}) is inside {plugin.versions}"
    return [], [Diagnostic(plugin.target_pos, "no-release", why)]


def _runtime_edit(go_releases: list[tuple[str, Path]]) -> list[Diagnostic]:
    """The goroutine-context edit against each release's runtime source."""
    out = []
    for version, goroot in go_releases:
        why = goroutine_context.misfit(str(goroot / "src" / "runtime"))
        if why:
            out.append(Diagnostic(_RUNTIME_EDIT, "runtime-edit", f"Go {version}: {why}"))
    return out


def _check_rule(
    plugin: Plugin, rule: Rule, env: dict[str, str], module_root: Path | None, hooks: Build, log: ConflictLog
) -> list[Diagnostic]:
    before, after, out = find_hooks(rule, hooks.packages, hooks.names)
    target = rule.joinpoint.target
    if target.package == MAIN_PACKAGE:
        return out
    if plugin.module is not None and not (target.package == plugin.module or target.package.startswith(plugin.module + "/")):
        why = f"{target.package} is not in module {plugin.module}, the plugin's target"
        return [*out, Diagnostic(rule.joinpoint.pos, "target-scope", why)]
    src = _package_source(plugin, target.package, env, module_root)
    if src is None:
        return out  # nothing to check against here
    files = tuple(p.name for p in src.glob("*.go") if not p.name.endswith("_test.go"))
    return [*out, *joinpoints.kind_of(rule).check(rule, src, files, before, after, not out, log)]


def _main_modules(cwd: str) -> dict[str, Path]:
    """The modules `go` builds from `cwd` (its main module, or a workspace's),
    by path: rules on the user's own code are checked against them."""
    try:
        listed = _go_json_in(["list", "-m", "-json"], cwd)
    except GoListError:
        return {}
    return {m["Path"]: Path(m["Dir"]) for m in listed if m.get("Dir") and m.get("Main")}


def _hook_listing(plugins: list[Plugin], cwd: str) -> Build:
    """The user's own hook packages, as the go command finds them from `cwd`,
    with their dependencies' names (what the hook files call their imports;
    the target's files, not listed, go by the guess)."""
    wanted = user_hook_packages([r for p in plugins for r in p.rules])
    if not wanted:
        return Build("")
    try:
        return go_list(wanted, "", dict(os.environ), cwd)
    except GoListError:
        return Build("")


def check_sources(plugins: list[Plugin], releases: bool = False, cwd: str | None = None) -> list[Diagnostic]:
    cwd = cwd or os.getcwd()
    try:
        env = go_env(["GOROOT", "GOMODCACHE"])
    except (GoListError, OSError):
        env = {"GOROOT": os.environ.get("GOROOT", ""), "GOMODCACHE": ""}
    mains = _main_modules(cwd)
    hooks = _hook_listing(plugins, cwd)
    log = ConflictLog()
    out: list[Diagnostic] = []
    go_releases: list[tuple[str, Path]] = []
    # The Go releases (three toolchains) only where a rule targets the standard
    # library; the goroutine-context edit is checked with them.
    if releases and any(p.module is None for p in plugins):
        go_releases, diags = go_release_roots()
        out += diags + _runtime_edit(go_releases)
    for plugin in plugins:
        roots: list[Path | None] = [None]
        if plugin.module in mains:
            roots = [mains[plugin.module]]
        elif plugin.module is None:
            if releases:
                roots, diags = _std_roots(plugin, go_releases)
                out.extend(diags)
        else:
            if releases:
                found, diags = release_roots(plugin)
                out.extend(diags)
                roots = [d for _, d in found]
            else:
                roots = [_cached_module_root(plugin, env)]
        for root in roots:
            for rule in plugin.rules:
                out.extend(_check_rule(plugin, rule, env, root, hooks, log))
    out.extend(log.diagnostics())
    # A hook problem is the same against every release: say it once.
    return list(dict.fromkeys(out))
