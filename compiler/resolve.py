"""Rules checked against real Go source: targets found, hooks fitted.

Input: the rule graph, and either a build (`go list`) or, for `rulec check`,
just the Go installation and module cache. Output: `Advice` for each active
rule on each function it advises, the rules left inactive and why, and
diagnostics pointing at the .gorule line of every rule that cannot apply.

A hook fits a join point when (see docs/design.md, "Hook ABI"):
  before: [receiver,] params...  each the target's type T or *T; returns
          nothing or one value (the state)
  after:  [state,] results... [, panic any]   each T or *T; a last `any`
          beyond the results receives the panic in flight (then re-panicked)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from compiler import gosource
from compiler.golist import Build, Package
from compiler.graph import RuleGraph
from compiler.paths import RUNTIME_DIR
from compiler.plan import PANIC
from ruledsl.diagnostics import Diagnostic
from ruledsl.model import MAIN_PACKAGE, RUNTIME_MODULE, SPAN_KINDS, FuncTarget, HookRef, Rule
from ruledsl.versions import VersionError, VersionRange

CORE_PACKAGE = RUNTIME_MODULE + "/core"


@dataclass(frozen=True)
class Hook:
    ref: HookRef
    decl: gosource.FuncDecl
    # Go literals the generated wrapper passes as the hook's last arguments
    # (a declarative span's name and kind); the advice passes the rest.
    consts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    """One active rule on one function of one package of the build."""

    rule: Rule
    package: str
    package_name: str
    file: str  # basename of the file that defines the function
    decl: gosource.FuncDecl
    before: Hook | None
    after: Hook | None
    before_args: tuple[str, ...]
    after_args: tuple[str, ...]
    state: bool


@dataclass
class Resolution:
    graph: RuleGraph
    advice: list[Advice]
    diagnostics: list[Diagnostic]


@cache
def _parse_file(path: str, package_path: str) -> gosource.GoFile:
    return gosource.parse(Path(path).read_bytes(), package_path)


def find_function(directory: str, files: tuple[str, ...], package_path: str, target: FuncTarget) -> tuple[str, gosource.FuncDecl] | None:
    """The file (basename) and declaration of `target` among `files`."""
    needle = target.name.encode()
    for name in sorted(files):
        path = os.path.join(directory, name)
        try:
            raw = Path(path).read_bytes()
        except OSError:
            continue
        if needle not in raw:  # cheap test before parsing
            continue
        decl = _parse_file(path, package_path).find(target.recv, target.name)
        if decl is not None and (target.pointer is None or target.recv is None or decl.recv_pointer == target.pointer):
            return name, decl
    return None


def runtime_dir() -> Path:
    """runtime-go/ as installed with rulec."""
    return Path(RUNTIME_DIR)


def hook_dir(ref: HookRef) -> Path | None:
    if ref.package == RUNTIME_MODULE or ref.package.startswith(RUNTIME_MODULE + "/"):
        return runtime_dir() / ref.package[len(RUNTIME_MODULE) + 1 :]
    return None


def find_hook(ref: HookRef) -> gosource.FuncDecl | None:
    d = hook_dir(ref)
    if d is None or not d.is_dir():
        return None
    files = tuple(p.name for p in d.glob("*.go") if not p.name.endswith("_test.go"))
    found = find_function(str(d), files, ref.package, FuncTarget(ref.package, ref.name))
    return found[1] if found else None


def _fit(hook_params: tuple[gosource.Param, ...], target: list[tuple[str, gosource.Param]]) -> tuple[str, ...] | str:
    """Argument specs for passing `target` (spec, param) to `hook_params`, or why not."""
    if len(hook_params) != len(target):
        return f"takes {len(hook_params)} parameters where {len(target)} are expected"
    args = []
    for hp, (spec, tp) in zip(hook_params, target, strict=True):
        want = "[]" + tp.canonical if tp.variadic else tp.canonical
        # `any` takes any parameter by value: the way to receive one whose
        # type the hook cannot name (database/sql's *driverConn).
        if hp.canonical == want or (hp.canonical == "any" and not tp.variadic):
            args.append(spec)
        elif hp.canonical == "*" + want:
            args.append("&" + spec)
        else:
            return f"parameter {hp.name or '?'} has type {hp.type}; it must be the target's type, a pointer to it, or any ({tp.type})"
    return tuple(args)


def fit_hooks(
    rule: Rule, decl: gosource.FuncDecl, before: gosource.FuncDecl | None, after: gosource.FuncDecl | None
) -> tuple[tuple[str, ...], tuple[str, ...], bool] | Diagnostic:
    """How the rule's hooks are called on `decl`, or a diagnostic why they cannot be."""
    before_args: tuple[str, ...] = ()
    state = False
    if before is not None:
        params = [(f"p{i}", p) for i, p in enumerate(decl.params)]
        with_recv = [("recv", decl.recv), *params] if decl.recv is not None else params
        fitted = _fit(before.params, params)
        if isinstance(fitted, str) and len(before.params) == len(with_recv) and decl.recv is not None:
            fitted = _fit(before.params, with_recv)
        if isinstance(fitted, str):
            return Diagnostic(
                rule.before.pos, "hook-signature", f"before hook {rule.before} does not fit {rule.joinpoint.target}: {fitted}"
            )
        if len(before.results) > 1:
            return Diagnostic(rule.before.pos, "hook-signature", f"before hook {rule.before} returns more than one value")
        before_args = fitted
        state = len(before.results) == 1
    after_args: tuple[str, ...] = ()
    if after is not None:
        results = [(f"r{i}", r) for i, r in enumerate(decl.results)]
        hook_params = after.params
        if state:
            if not hook_params or hook_params[0].canonical != before.results[0].canonical:
                return Diagnostic(
                    rule.after.pos,
                    "hook-signature",
                    f"after hook {rule.after} must take the before hook's result ({before.results[0].type}) first",
                )
            hook_params = hook_params[1:]
        # One more trailing `any` than results: the hook wants the panic in flight.
        wants_panic = len(hook_params) == len(results) + 1 and hook_params[-1].canonical == "any"
        fitted = _fit(hook_params[:-1] if wants_panic else hook_params, results)
        if isinstance(fitted, str):
            return Diagnostic(
                rule.after.pos, "hook-signature", f"after hook {rule.after} does not fit the results of {rule.joinpoint.target}: {fitted}"
            )
        if after.results:
            return Diagnostic(rule.after.pos, "hook-signature", f"after hook {rule.after} must not return values")
        if wants_panic:
            fitted = (*fitted, PANIC)
        after_args = fitted
    return before_args, after_args, state


def find_hooks(rule: Rule) -> tuple[Hook | None, Hook | None, list[Diagnostic]]:
    """The rule's before and after hooks, and a diagnostic for each one missing."""
    out: list[Hook | None] = []
    diags = []
    for ref in (rule.before, rule.after):
        decl = find_hook(ref) if ref is not None else None
        if ref is not None and (decl is None or decl.recv_type is not None):
            where = hook_dir(ref)
            detail = f"in runtime-go ({where})" if where else f"(hooks must live under {RUNTIME_MODULE})"
            diags.append(Diagnostic(ref.pos, "unknown-hook", f"hook {ref} does not exist {detail}"))
            decl = None
        out.append(Hook(ref, decl) if ref is not None and decl is not None else None)
    return out[0], out[1], diags


def _renderable(advice_hooks: list[Hook | None], pkg: Package) -> str | None:
    """Why the hooks' types cannot be written inside `pkg`, if they cannot."""
    allowed = set(pkg.imports) | {pkg.path}
    for hook in advice_hooks:
        if hook is None:
            continue
        for p in (*hook.decl.params, *hook.decl.results):
            missing = gosource.packages_in(p.canonical) - allowed
            if missing:
                return f"hook {hook.ref} uses type {p.type} from {', '.join(sorted(missing))}, which {pkg.path} does not import"
    return None


def _inactive_reason(plugin_module: str | None, versions: VersionRange, build: Build) -> tuple[str, bool] | None:
    """Why the plugin does not apply to this build, and whether that is its version."""
    if plugin_module is None:
        try:
            ok = versions.contains(build.go_version)
        except VersionError:
            ok = False
        return None if ok else (f"Go {build.go_version} is outside {versions}", True)
    module = build.modules().get(plugin_module)
    if module is None:
        return f"module {plugin_module} is not in the build", False
    if module.replaced_by_dir or not module.version:
        return None  # a local replacement has no version; its source decides
    try:
        return None if versions.contains(module.version) else (f"{plugin_module} {module.version} is outside {versions}", True)
    except VersionError:
        return f"{plugin_module} has version {module.version}, which rulec cannot compare", True


def resolve(graph: RuleGraph, build: Build) -> Resolution:
    """Mark every rule active or inactive for this build and fit its hooks."""
    res = Resolution(graph, [], [])
    plugins = {p.name: p for p in graph.plugins}
    for rule in graph.rules():
        plugin = plugins[rule.plugin]
        inactive = _inactive_reason(plugin.module, plugin.versions, build)
        target = rule.joinpoint.target
        if target.package == MAIN_PACKAGE:
            packages = [p for p in build.roots() if p.name == "main"]
        else:
            pkg = build.packages.get(target.package)
            packages = [pkg] if pkg is not None else []
        if inactive is not None:
            graph.mark(rule, False, *inactive)
            continue
        if not packages:
            graph.mark(rule, False, f"package {target.package} is not in the build")
            continue
        before, after, diags = find_hooks(rule)
        if diags:
            res.diagnostics.extend(diags)
            graph.mark(rule, False, "its hooks are missing")
            continue
        for pkg in packages:
            advice = _advise(rule, target, pkg, before, after, res.diagnostics)
            if advice is not None:
                res.advice.append(advice)
        applied = any(a.rule == rule for a in res.advice)
        graph.mark(rule, applied, "" if applied else "it cannot apply (see the errors above)")
    return res


def span_hooks(rule: Rule, decl: gosource.FuncDecl) -> tuple[Hook, Hook, tuple[str, ...], tuple[str, ...]]:
    """The runtime's hooks for a declarative span on `decl`, and their arguments.

    The span's parent comes from the function's first context.Context
    parameter, if it has one; its error status from a last `error` result.
    """
    spec = rule.span
    ctx = next((i for i, p in enumerate(decl.params) if p.canonical == "{context}.Context" and p.usable), None)
    start = "SpanStartCtx" if ctx is not None else "SpanStart"
    found = {name: find_hook(HookRef(CORE_PACKAGE, name, spec.pos)) for name in (start, "SpanEnd")}
    missing = [n for n, d in found.items() if d is None]
    if missing:  # runtime-go and the compiler disagree: an installation problem
        raise RuntimeError(f"rulec's runtime lacks {', '.join(missing)}; reinstall rulec")
    literals = (_go_string(spec.name), str(SPAN_KINDS[spec.kind]))
    before = Hook(HookRef(CORE_PACKAGE, start, spec.pos), found[start], literals)
    failed = bool(decl.results) and decl.results[-1].canonical == "error"
    after = Hook(HookRef(CORE_PACKAGE, "SpanEnd", spec.pos), found["SpanEnd"], () if failed else ("nil",))
    before_args = (f"p{ctx}",) if ctx is not None else ()
    after_args = (f"r{len(decl.results) - 1}",) if failed else ()
    return before, after, before_args, after_args


def _go_string(text: str) -> str:
    # A Go interpreted string literal; JSON's escapes are valid Go escapes.
    return json.dumps(text)


def _advise(
    rule: Rule, target: FuncTarget, pkg: Package, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
) -> Advice | None:
    found = find_function(pkg.dir, pkg.go_files, pkg.path, target)
    if found is None:
        diags.append(Diagnostic(rule.joinpoint.pos, "unknown-target", f"{target} does not exist in {pkg.dir}"))
        return None
    file, decl = found
    if rule.span is not None:
        before, after, before_args, after_args = span_hooks(rule, decl)
        return Advice(rule, pkg.path, pkg.name, file, decl, before, after, before_args, after_args, True)
    fitted = fit_hooks(rule, decl, before.decl if before else None, after.decl if after else None)
    if isinstance(fitted, Diagnostic):
        diags.append(fitted)
        return None
    why = _renderable([before, after], pkg)
    if why:
        diags.append(Diagnostic(rule.joinpoint.pos, "hook-signature", why))
        return None
    before_args, after_args, state = fitted
    return Advice(rule, pkg.path, pkg.name, file, decl, before, after, before_args, after_args, state)
