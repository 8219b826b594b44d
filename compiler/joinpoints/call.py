"""`on call PKG.Func` / `PKG.(*T).Method`: advice inside the function's own
body, wherever it is called from."""

from __future__ import annotations

from pathlib import Path

from compiler.golist import Build, Package
from compiler.joinpoints.base import JoinPointKind, register
from compiler.resolve.advice import Advice, FieldAdvice, Hook
from compiler.resolve.conflicts import ConflictLog
from compiler.resolve.fitting import fit_hooks, fitted_advice
from compiler.resolve.functions import find_function
from compiler.resolve.spans import span_hooks
from ruledsl.diagnostics import Diagnostic
from ruledsl.model import Rule


@register
class Call(JoinPointKind):
    keyword = "call"

    def advise(
        self, rule: Rule, pkg: Package, build: Build, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
    ) -> list[Advice | FieldAdvice]:
        target = rule.joinpoint.func
        found = find_function(pkg.dir, pkg.go_files, pkg.path, target, build.names)
        if found is None:
            diags.append(Diagnostic(rule.joinpoint.pos, "unknown-target", f"{target} does not exist in {pkg.dir}"))
            return []
        advice = fitted_advice(rule, pkg, found[0], found[1], before, after, diags)
        return [advice] if advice is not None else []

    def check(
        self, rule: Rule, src: Path, files: tuple[str, ...], before: Hook | None, after: Hook | None, hooks_ok: bool, log: ConflictLog
    ) -> list[Diagnostic]:
        target = rule.joinpoint.func
        found = find_function(str(src), files, target.package, target)
        if found is None:
            return [Diagnostic(rule.joinpoint.pos, "unknown-target", f"{target} does not exist in {src}")]
        decl = found[1]
        if rule.span is not None:
            spanned = span_hooks(rule, decl)
            return spanned if isinstance(spanned, list) else []
        if not hooks_ok:
            return []
        fitted = fit_hooks(rule, decl, before.decl if before else None, after.decl if after else None)
        if isinstance(fitted, Diagnostic):
            return [fitted]
        log.replaces.append((rule, (rule.joinpoint.kind, str(target)), fitted[0], fitted[1]))
        return []
