"""`on call PKG.Func` / `PKG.(*T).Method`: advice inside the function's own
body, wherever it is called from."""

from __future__ import annotations

from pathlib import Path

from rulec.compiler import gosource
from rulec.compiler.golist import Build, Package
from rulec.compiler.gonames import GUESSED, ImportNames
from rulec.compiler.joinpoints.base import JoinPointKind, register
from rulec.compiler.resolve.advice import Advice, FieldAdvice, Hook
from rulec.compiler.resolve.conflicts import ConflictLog
from rulec.compiler.resolve.fitting import fit_hooks, fitted_advice
from rulec.compiler.resolve.functions import find_function
from rulec.compiler.resolve.spans import span_hooks
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import Rule


@register
class Call(JoinPointKind):
    keyword = "call"

    @staticmethod
    def target(
        rule: Rule, directory: str, files: tuple[str, ...], package: str, names: ImportNames = GUESSED
    ) -> tuple[str, gosource.FuncDecl] | Diagnostic:
        """The file and declaration of the function the rule names among
        `files` of `package` in `directory`, or why not; `names`: the names
        of the packages the files import, where they are known."""
        target = rule.joinpoint.func
        found = find_function(directory, files, package, target, names)
        return found or Diagnostic(rule.joinpoint.pos, "unknown-target", f"{target} does not exist in {directory}")

    def advise(
        self, rule: Rule, pkg: Package, build: Build, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
    ) -> list[Advice | FieldAdvice]:
        found = self.target(rule, pkg.dir, pkg.go_files, pkg.path, build.names)
        if isinstance(found, Diagnostic):
            diags.append(found)
            return []
        advice = fitted_advice(rule, pkg, found[0], found[1], before, after, diags)
        return [advice] if advice is not None else []

    def check(
        self, rule: Rule, src: Path, files: tuple[str, ...], before: Hook | None, after: Hook | None, hooks_ok: bool, log: ConflictLog
    ) -> list[Diagnostic]:
        found = self.target(rule, str(src), files, rule.joinpoint.target.package)
        if isinstance(found, Diagnostic):
            return [found]
        decl = found[1]
        if rule.span is not None:
            spanned = span_hooks(rule, decl)
            return spanned if isinstance(spanned, list) else []
        if not hooks_ok:
            return []
        fitted = fit_hooks(rule, decl, before.decl if before else None, after.decl if after else None)
        if isinstance(fitted, Diagnostic):
            return [fitted]
        log.replaces.append((rule, (rule.joinpoint.kind, str(rule.joinpoint.target)), fitted[0], fitted[1]))
        return []
