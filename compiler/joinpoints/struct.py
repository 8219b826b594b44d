"""`on struct PKG.Type`: a struct type that `add field` extends."""

from __future__ import annotations

import os
from pathlib import Path

from rulec.compiler import gosource
from rulec.compiler.golist import Build, Package
from rulec.compiler.joinpoints.base import JoinPointKind, register
from rulec.compiler.resolve.advice import Advice, FieldAdvice, Hook
from rulec.compiler.resolve.conflicts import ConflictLog
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import Rule


def _not_a_struct(rule: Rule, where: str) -> Diagnostic:
    return Diagnostic(rule.joinpoint.pos, "unknown-target", f"{rule.joinpoint.target} is not a struct type in {where}")


def _unkeyed_literal(rule: Rule, directory: str, files: tuple[str, ...]) -> Diagnostic | None:
    """Refuse a type its own package builds with an unkeyed literal: a field
    added to it breaks the build. (Other packages' literals go unchecked;
    `go vet` flags those.)"""
    name = rule.joinpoint.target.name
    for file in sorted(files):
        lines = gosource.unkeyed_literals(Path(directory, file).read_bytes(), name)
        if lines:
            where = f"{os.path.join(directory, file)}:{lines[0]}"
            why = (
                f"cannot add fields to {rule.joinpoint.target}: {where} builds it with an unkeyed literal, "
                f"which an added field leaves short of values (key its values: {name}{{field: value, ...}})"
            )
            return Diagnostic(rule.joinpoint.pos, "unkeyed-literal", why)
    return None


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
        unkeyed = _unkeyed_literal(rule, pkg.dir, pkg.go_files)
        if unkeyed is not None:
            diags.append(unkeyed)
            return []
        return [FieldAdvice(rule, pkg.path, file, name, rule.fields)]

    def check(
        self, rule: Rule, src: Path, files: tuple[str, ...], before: Hook | None, after: Hook | None, hooks_ok: bool, log: ConflictLog
    ) -> list[Diagnostic]:
        target = rule.joinpoint.target
        if gosource.struct_file(str(src), files, target.name) is None:
            return [_not_a_struct(rule, str(src))]
        unkeyed = _unkeyed_literal(rule, str(src), files)
        if unkeyed is not None:
            return [unkeyed]
        log.fields.append((rule, target.package, target.name, rule.fields))
        return []
