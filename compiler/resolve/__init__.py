"""Rules checked against the build's real Go source: targets found, hooks fitted.

Input: the rule graph and a build (`go list`). Output: a `Resolution`, the
`Advice` of each active rule on each function it advises, the rules left
inactive and why, and diagnostics pointing at the .gorule line of every rule
that cannot apply. It runs nothing and writes nothing.

The stages, one module each: gating (does the plugin's version range take
this build), hooks (find the Go functions a rule names), the join point's
kind (compiler/joinpoints: which functions, fields or calls it advises),
fitting and spans (how hooks or a declarative span are called there), and
conflicts (rules that cannot both apply). This module is the loop over them.
"""

from __future__ import annotations

from rulec.compiler import gorelease, joinpoints
from rulec.compiler.golist import Build, Module, Package
from rulec.compiler.graph import RuleGraph
from rulec.compiler.resolve.advice import CORE_PACKAGE, GENERATED_FILE, Advice, FieldAdvice, Hook, Resolution, SpanValues
from rulec.compiler.resolve.conflicts import ConflictLog
from rulec.compiler.resolve.fitting import fit_hooks
from rulec.compiler.resolve.gating import inactive_reason
from rulec.compiler.resolve.hooks import find_hooks, user_hook_packages
from rulec.ruledsl.model import MAIN_PACKAGE, Plugin, Rule
from rulec.ruledsl.versions import version_key

__all__ = [
    "CORE_PACKAGE",
    "GENERATED_FILE",
    "Advice",
    "FieldAdvice",
    "Hook",
    "Resolution",
    "SpanValues",
    "fit_hooks",
    "resolve",
    "user_hook_packages",
]


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
    log = ConflictLog()
    log.replaces = [(a.rule, (a.package, *a.func_key), a.before_args, a.after_args) for a in res.advice]
    log.fields = [(f.rule, f.package, f.type_name, f.fields) for f in res.fields]
    res.diagnostics.extend(log.diagnostics())
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


def _target_packages(rule: Rule, build: Build, mains: list[Package]) -> list[Package]:
    target = rule.joinpoint.target.package
    if target == MAIN_PACKAGE:
        return mains
    pkg = build.packages.get(target)
    return [pkg] if pkg is not None else []


def _resolve_rule(rule: Rule, plugin: Plugin, build: Build, modules: dict[str, Module], mains: list[Package], res: Resolution) -> None:
    """Mark one rule active or inactive; its advice and diagnostics go to `res`."""
    graph = res.graph
    inactive = inactive_reason(plugin.module, plugin.versions, build.go_version, modules)
    if inactive is not None:
        graph.mark(rule, False, *inactive)
        return
    packages = _target_packages(rule, build, mains)
    if not packages:
        graph.mark(rule, False, f"package {rule.joinpoint.target.package} is not in the build", absent=True)
        return
    kind = joinpoints.kind_of(rule)
    before = after = None
    if kind.takes_hooks:
        before, after, diags = find_hooks(rule, build.packages, build.names)
        if diags:
            res.diagnostics.extend(diags)
            graph.mark(rule, False, "its hooks are missing")
            return
    errors = len(res.diagnostics)
    found = [item for pkg in packages for item in kind.advise(rule, pkg, build, before, after, res.diagnostics)]
    res.advice.extend(a for a in found if isinstance(a, Advice))
    res.fields.extend(f for f in found if isinstance(f, FieldAdvice))
    if found:
        graph.mark(rule, True)
    else:
        graph.mark(rule, False, kind.unmatched(rule) if len(res.diagnostics) == errors else "it cannot apply (see the errors above)")
