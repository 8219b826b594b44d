"""`on struct PKG.Type`: a struct type that `add field` extends."""

from __future__ import annotations

from pathlib import Path

from compiler import gosource
from compiler.golist import Build, Package
from compiler.joinpoints.base import JoinPointKind, register
from compiler.resolve.advice import Advice, FieldAdvice, Hook
from compiler.resolve.conflicts import ConflictLog
from ruledsl.diagnostics import Diagnostic
from ruledsl.model import Rule


def _not_a_struct(rule: Rule, where: str) -> Diagnostic:
    return Diagnostic(rule.joinpoint.pos, "unknown-target", f"{rule.joinpoint.target} is not a struct type in {where}")


@register
class Struct(JoinPointKind):
    keyword = "struct"
    takes_hooks = False

    def advise(
        self, rule: Rule, pkg: Package, build: Build, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
    ) -> list[Advice | FieldAdvice]:
        name = rule.joinpoint.target.name
        file = gosource.struct_file(pkg.dir, pkg.go_files, name)
        if file is None:
            diags.append(_not_a_struct(rule, pkg.dir))
            return []
        return [FieldAdvice(rule, pkg.path, file, name, rule.fields)]

    def check(
        self, rule: Rule, src: Path, files: tuple[str, ...], before: Hook | None, after: Hook | None, hooks_ok: bool, log: ConflictLog
    ) -> list[Diagnostic]:
        target = rule.joinpoint.target
        if gosource.struct_file(str(src), files, target.name) is None:
            return [_not_a_struct(rule, str(src))]
        log.fields.append((rule, target.package, target.name, rule.fields))
        return []
