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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from compiler import gorelease, gosource
from compiler.golist import Build, Module, Package
from compiler.graph import RuleGraph
from compiler.paths import RUNTIME_DIR
from compiler.plan import ERROR, PANIC, CallSite, Expr
from ruledsl.diagnostics import Diagnostic, Pos
from ruledsl.model import MAIN_PACKAGE, RUNTIME_MODULE, SPAN_KINDS, FieldSpec, FuncTarget, HookRef, Plugin, Rule, Selector, ValueRef
from ruledsl.versions import VersionError, VersionRange, version_key

CORE_PACKAGE = RUNTIME_MODULE + "/core"
# The file a call-site rule's wrappers live in: the calling package's generated file.
GENERATED_FILE = "zz_rulec_generated.go"


@dataclass(frozen=True)
class Hook:
    ref: HookRef
    decl: gosource.FuncDecl
    # Go literals the generated wrapper passes as the hook's last arguments
    # (a declarative span's name and kind); the advice passes the rest.
    consts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpanValues:
    """A declarative span's attributes and error, as Go expressions."""

    attrs: Hook | None  # core.SpanSetAttributes, when there are attributes
    start: tuple[tuple[str, Expr], ...] = ()
    end: tuple[tuple[str, Expr], ...] = ()
    error: Expr | None = None


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
    values: SpanValues | None = None
    site: CallSite | None = None  # a call-site rule: advice on a wrapper the calls go to instead
    site_files: tuple[str, ...] = ()  # the calling package's files (basenames) whose calls go there

    @property
    def func_key(self) -> tuple[str, str | None, str]:
        """(file, receiver type, name) of the function the advice goes into."""
        if self.site is not None:
            return (GENERATED_FILE, None, self.site.wrapper)
        return (self.file, self.decl.recv_type, self.decl.name)

    @property
    def hooks(self) -> list[Hook]:
        return [h for h in (self.before, self.after, self.values.attrs if self.values else None) if h is not None]


@dataclass(frozen=True)
class FieldAdvice:
    """An `add field` rule on one struct type of the build."""

    rule: Rule
    package: str
    file: str
    type_name: str
    fields: tuple[FieldSpec, ...]


@dataclass
class Resolution:
    graph: RuleGraph
    advice: list[Advice]
    diagnostics: list[Diagnostic]
    fields: list[FieldAdvice] = field(default_factory=list)


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


def is_runtime(package: str) -> bool:
    return package == RUNTIME_MODULE or package.startswith(RUNTIME_MODULE + "/")


def hook_dir(ref: HookRef, packages: dict[str, Package] | None = None) -> Path | None:
    """Where the hook's package is: runtime-go/ for rulec's own, else the
    build's (or `rulec check`'s) listing of the user's hook packages."""
    if is_runtime(ref.package):
        return runtime_dir() / ref.package[len(RUNTIME_MODULE) + 1 :]
    pkg = (packages or {}).get(ref.package)
    return Path(pkg.dir) if pkg is not None and pkg.dir else None


def find_hook(ref: HookRef, packages: dict[str, Package] | None = None) -> gosource.FuncDecl | None:
    d = hook_dir(ref, packages)
    if d is None or not d.is_dir():
        return None
    pkg = (packages or {}).get(ref.package)
    if pkg is not None and not is_runtime(ref.package):
        files = pkg.go_files
    else:
        files = tuple(p.name for p in d.glob("*.go") if not p.name.endswith("_test.go"))
    found = find_function(str(d), files, ref.package, FuncTarget(ref.package, ref.name))
    return found[1] if found else None


def user_hook_packages(rules: list[Rule]) -> list[str]:
    """The hook packages the rules name outside rulec's runtime: the build
    lists them along with the application's own packages."""
    return sorted({h.package for r in rules for h in (r.before, r.after) if h is not None and not is_runtime(h.package)})


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


def find_hooks(rule: Rule, packages: dict[str, Package] | None = None) -> tuple[Hook | None, Hook | None, list[Diagnostic]]:
    """The rule's before and after hooks, and a diagnostic for each one missing."""
    out: list[Hook | None] = []
    diags = []
    for ref in (rule.before, rule.after):
        pkg = (packages or {}).get(ref.package) if ref is not None else None
        if pkg is not None and pkg.standard and not is_runtime(ref.package):
            # The linker refuses pull references into the standard library.
            why = f"hook {ref} is in the standard library; hooks live in rulec's runtime, the main module or a module go.mod requires"
            diags.append(Diagnostic(ref.pos, "unknown-hook", why))
            out.append(None)
            continue
        decl = find_hook(ref, packages) if ref is not None else None
        if ref is not None and (decl is None or decl.recv_type is not None):
            where = hook_dir(ref, packages)
            if where is not None:
                detail = f"in runtime-go ({where})" if is_runtime(ref.package) else f"in {where}"
            else:
                detail = f"(package {ref.package} is not in this build: hooks live in the main module or a module go.mod requires)"
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


def _inactive_reason(
    plugin_module: str | None, versions: VersionRange, go_version: str, modules: dict[str, Module]
) -> tuple[str, bool] | None:
    """Why the plugin does not apply to this build, and whether that is its version."""
    if plugin_module is None:
        try:
            ok = versions.contains(go_version)
        except VersionError:
            ok = False
        return None if ok else (f"Go {go_version} is outside {versions}", True)
    module = modules.get(plugin_module)
    if module is None:
        return f"module {plugin_module} is not in the build", False
    if module.replaced_by_dir or not module.version:
        return None  # a local replacement has no version; its source decides
    try:
        return None if versions.contains(module.version) else (f"{plugin_module} {module.version} is outside {versions}", True)
    except VersionError:
        return f"{plugin_module} has version {module.version}, which rulec cannot compare", True


def resolve(graph: RuleGraph, build: Build) -> Resolution:
    """Mark every rule active or inactive for this build and fit its hooks.

    On a Go release newer than rulec is tested with, a rule on the standard
    library that does not fit that release's source is left out, named with
    the reason, rather than stopping the build."""
    res = Resolution(graph, [], [])
    plugins = {p.name: p for p in graph.plugins}
    # Once per build, not once per rule: each is a pass over its packages.
    modules = build.modules()
    mains = [p for p in build.roots() if p.name == "main"]
    untested_go = version_key(build.go_version)[:2] > gorelease.TESTED[1]
    for rule in graph.rules():
        plugin = plugins[rule.plugin]
        if untested_go and plugin.module is None:
            _resolve_leniently(rule, plugin, build, modules, mains, res)
        else:
            _resolve_rule(rule, plugin, build, modules, mains, res)
    res.diagnostics.extend(conflicts([(a.rule, (a.package, *a.func_key), a.before_args, a.after_args) for a in res.advice]))
    res.diagnostics.extend(field_conflicts([(f.rule, f.package, f.type_name, f.fields) for f in res.fields]))
    return res


def _resolve_leniently(rule: Rule, plugin: Plugin, build: Build, modules: dict[str, Module], mains: list[Package], res: Resolution) -> None:
    """_resolve_rule, its diagnostics turned into the reason the rule is left out."""
    diagnostics, res.diagnostics = res.diagnostics, []
    try:
        _resolve_rule(rule, plugin, build, modules, mains, res)
        found = res.diagnostics
    finally:
        res.diagnostics = diagnostics
    if found:
        res.advice = [a for a in res.advice if a.rule is not rule]
        res.fields = [f for f in res.fields if f.rule is not rule]
        res.graph.mark(rule, False, f"does not fit Go {build.go_version}'s source: " + "; ".join(d.message for d in found), True)


def _resolve_rule(rule: Rule, plugin: Plugin, build: Build, modules: dict[str, Module], mains: list[Package], res: Resolution) -> None:
    """Mark one rule active or inactive; its advice and diagnostics go to `res`."""
    graph = res.graph
    inactive = _inactive_reason(plugin.module, plugin.versions, build.go_version, modules)
    target = rule.joinpoint.target
    if target.package == MAIN_PACKAGE:
        packages = mains
    else:
        pkg = build.packages.get(target.package)
        packages = [pkg] if pkg is not None else []
    if inactive is not None:
        graph.mark(rule, False, *inactive)
        return
    if not packages:
        graph.mark(rule, False, f"package {target.package} is not in the build")
        return
    if rule.joinpoint.kind == "struct":
        found = _add_fields(rule, packages[0], res.diagnostics)
        res.fields.extend(found)
        graph.mark(rule, bool(found), "" if found else "it cannot apply (see the errors above)")
        return
    before, after, diags = find_hooks(rule, build.packages)
    advised = len(res.advice)
    if diags:
        res.diagnostics.extend(diags)
        graph.mark(rule, False, "its hooks are missing")
        return
    for pkg in packages:
        if rule.joinpoint.kind == "callsite":
            res.advice.extend(_advise_call_sites(rule, pkg, build, before, after, res.diagnostics))
            continue
        advice = _advise(rule, rule.joinpoint.func, pkg, before, after, res.diagnostics)
        if advice is not None:
            res.advice.append(advice)
    applied = len(res.advice) > advised
    if rule.joinpoint.kind == "callsite" and not applied and not res.diagnostics:
        graph.mark(rule, False, f"no package of the application calls {target}")
        return
    graph.mark(rule, applied, "" if applied else "it cannot apply (see the errors above)")


def conflicts(entries: list[tuple[Rule, tuple, tuple[str, ...], tuple[str, ...]]]) -> list[Diagnostic]:
    """Rules that cannot both apply: two that replace the same parameter or
    result of one function (each would silently undo the other)."""
    owner: dict[tuple, Rule] = {}
    out = []
    for rule, func, before_args, after_args in entries:
        for spec in (*before_args, *after_args):
            if not spec.startswith("&"):
                continue
            key = (func, spec)
            other = owner.setdefault(key, rule)
            if other != rule:
                what = _spec_word(spec[1:])
                out.append(
                    Diagnostic(
                        rule.pos,
                        "conflict",
                        f"rules {other.id} ({other.pos}) and {rule.id} both replace {what} of {rule.joinpoint.target}; "
                        "only one rule may replace a value",
                    )
                )
    return out


def field_conflicts(entries: list[tuple[Rule, str, str, tuple[FieldSpec, ...]]]) -> list[Diagnostic]:
    """Two rules adding a field of the same name to one struct type."""
    owner: dict[tuple[str, str, str], Rule] = {}
    out = []
    for rule, package, type_name, fields in entries:
        for f in fields:
            other = owner.setdefault((package, type_name, f.name), rule)
            if other != rule:
                why = f"rules {other.id} ({other.pos}) and {rule.id} both add field {f.name} to {package}.{type_name}"
                out.append(Diagnostic(f.pos, "conflict", why))
    return out


def _spec_word(spec: str) -> str:
    if spec == "recv":
        return "the receiver"
    return f"{'parameter' if spec[0] == 'p' else 'result'} {spec[1:]}"


def _add_fields(rule: Rule, pkg: Package, diags: list[Diagnostic]) -> list[FieldAdvice]:
    name = rule.joinpoint.target.name
    file = gosource.struct_file(pkg.dir, pkg.go_files, name)
    if file is None:
        diags.append(Diagnostic(rule.joinpoint.pos, "unknown-target", f"{rule.joinpoint.target} is not a struct type in {pkg.dir}"))
        return []
    return [FieldAdvice(rule, pkg.path, file, name, rule.fields)]


def span_hooks(rule: Rule, decl: gosource.FuncDecl) -> tuple[Hook, Hook, tuple[str, ...], tuple[str, ...], SpanValues] | list[Diagnostic]:
    """The runtime's hooks for a declarative span on `decl`, their arguments,
    and the span's attribute values, or why the rule's values do not fit.

    The span's parent comes from the function's first context.Context
    parameter, if it has one; its error status from `record error`, or else
    from a last `error` result.
    """
    spec = rule.span
    ctx = next((i for i, p in enumerate(decl.params) if p.canonical == "{context}.Context" and p.usable), None)
    start = "SpanStartCtx" if ctx is not None else "SpanStart"
    names = (start, "SpanEnd", "SpanSetAttributes")
    found = {name: find_hook(HookRef(CORE_PACKAGE, name, spec.pos)) for name in names}
    missing = [n for n, d in found.items() if d is None]
    if missing:  # runtime-go and the compiler disagree: an installation problem
        raise RuntimeError(f"rulec's runtime lacks {', '.join(missing)}; reinstall rulec")
    start_values, end_values, problems = [], [], []
    for attr in spec.attributes:
        value = value_expr(attr.value, decl, rule)
        if isinstance(value, Diagnostic):
            problems.append(value)
        else:
            (end_values if attr.value.root == "result" else start_values).append((attr.key, value))
    error = value_expr(spec.error, decl, rule) if spec.error is not None else None
    if isinstance(error, Diagnostic):
        problems.append(error)
        error = None
    if problems:
        return problems
    literals = (_go_string(spec.name), str(SPAN_KINDS[spec.kind]))
    before = Hook(HookRef(CORE_PACKAGE, start, spec.pos), found[start], literals)
    failed = bool(decl.results) and decl.results[-1].canonical == "error"
    after_args: tuple[str, ...] = (f"r{len(decl.results) - 1}",) if failed else ()
    if error is not None:
        after_args = (ERROR,)
    after = Hook(HookRef(CORE_PACKAGE, "SpanEnd", spec.pos), found["SpanEnd"], () if after_args else ("nil",))
    attrs = Hook(HookRef(CORE_PACKAGE, "SpanSetAttributes", spec.pos), found["SpanSetAttributes"]) if spec.attributes else None
    before_args = (f"p{ctx}",) if ctx is not None else ()
    return before, after, before_args, after_args, SpanValues(attrs, tuple(start_values), tuple(end_values), error)


def _name_pos(s: Selector) -> Pos:
    return Pos(s.pos.file, s.pos.line, s.pos.col + 1)  # past the dot


def _where(pos: Pos) -> str:
    return f"{os.path.abspath(pos.file)}:{pos.line}:{pos.col}"


def value_expr(value: ValueRef, decl: gosource.FuncDecl, rule: Rule) -> Expr | Diagnostic:
    """`arg.req.Currency` on `decl` as Go: the parameter's spec, then the
    selectors. Whether the selectors exist is left to the Go compiler, whose
    errors the directives place on the rule's text."""
    selectors = value.selectors
    if value.root == "recv":
        if decl.recv is None:
            return Diagnostic(value.pos, "unknown-value", f"{rule.joinpoint.target} is not a method: it has no receiver")
        base = "recv"
    else:
        items = decl.params if value.root == "arg" else decl.results
        word = "parameter" if value.root == "arg" else "result"
        first, selectors = selectors[0], selectors[1:]
        index = int(first.name) if first.name.isdigit() else next((i for i, p in enumerate(items) if p.name == first.name), None)
        if index is None or index >= len(items):
            have = ", ".join(p.name or str(i) for i, p in enumerate(items)) or "none"
            why = f"{rule.joinpoint.target} has no {word} {first.name!r} (it has: {have})"
            return Diagnostic(_name_pos(first), "unknown-value", why)
        base = f"{'p' if value.root == 'arg' else 'r'}{index}"
    parts = tuple((f".{s.name}{'()' * s.call}", _where(_name_pos(s))) for s in selectors)
    return Expr(base, _where(value.pos), parts)


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
    return _fitted(rule, pkg, file, decl, before, after, diags)


def _fitted(
    rule: Rule,
    pkg: Package,
    file: str,
    decl: gosource.FuncDecl,
    before: Hook | None,
    after: Hook | None,
    diags: list[Diagnostic],
    site: CallSite | None = None,
    site_files: tuple[str, ...] = (),
) -> Advice | None:
    """The rule's advice on `decl` in `pkg`, or None with the reason in `diags`."""
    if rule.span is not None:
        spanned = span_hooks(rule, decl)
        if isinstance(spanned, list):
            diags.extend(spanned)
            return None
        before, after, before_args, after_args, values = spanned
        return Advice(rule, pkg.path, pkg.name, file, decl, before, after, before_args, after_args, True, values, site, site_files)
    fitted = fit_hooks(rule, decl, before.decl if before else None, after.decl if after else None)
    if isinstance(fitted, Diagnostic):
        diags.append(fitted)
        return None
    why = _renderable([before, after], pkg)
    if why:
        diags.append(Diagnostic(rule.joinpoint.pos, "hook-signature", why))
        return None
    before_args, after_args, state = fitted
    return Advice(rule, pkg.path, pkg.name, file, decl, before, after, before_args, after_args, state, None, site, site_files)


def _advise_call_sites(
    rule: Rule, target_pkg: Package, build: Build, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
) -> list[Advice]:
    """The rule's advice in each of the application's packages that calls the
    target: on a wrapper in the package's generated file that the calls go to."""
    target = rule.joinpoint.func
    found = find_function(target_pkg.dir, target_pkg.go_files, target_pkg.path, target)
    if found is None:
        diags.append(Diagnostic(rule.joinpoint.pos, "unknown-target", f"{target} does not exist in {target_pkg.dir}"))
        return []
    _, decl = found
    unnameable = [p.type for p in (*decl.params, *decl.results) if _unexported_in(p.canonical, target_pkg.path)]
    if unnameable:
        why = f"{target} has parameters or results of unexported types ({', '.join(unnameable)}), which its callers cannot name"
        diags.append(Diagnostic(rule.joinpoint.pos, "unknown-target", why))
        return []
    out = []
    wrapper = f"__rulec_cs_{rule.plugin}_{rule.name}"
    for pkg in build.packages.values():
        if target_pkg.path not in pkg.imports or not _applications(pkg):
            continue
        files = tuple(f for f in pkg.go_files if _calls(os.path.join(pkg.dir, f), pkg.path, target))
        if files:
            site = CallSite(target.package, target.name, wrapper)
            advice = _fitted(rule, pkg, GENERATED_FILE, decl, before, after, diags, site, files)
            if advice is not None:
                out.append(advice)
    return out


def _applications(pkg: Package) -> bool:
    """Whether the package is the application's own code (the main module or
    a local replacement), where call-site rules rewrite calls."""
    return pkg.module is not None and not pkg.module.version


def _unexported_in(canonical: str, package: str) -> bool:
    prefix = "{" + package + "}."
    i = canonical.find(prefix)
    while i >= 0:
        name = canonical[i + len(prefix) :]
        if name[:1].islower() or name[:1] == "_":
            return True
        i = canonical.find(prefix, i + 1)
    return False


def _calls(path: str, package_path: str, target: FuncTarget) -> bool:
    parsed = _parse_file(path, package_path)
    local = next((name for name, imp in parsed.imports.items() if imp == target.package), None)
    return local is not None and bool(gosource.call_sites(Path(path).read_bytes(), local, target.name))
