"""The interface every join-point kind implements, and the table of kinds."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rulec.compiler.golist import Build, Package
from rulec.compiler.resolve.advice import Advice, FieldAdvice, Hook
from rulec.compiler.resolve.conflicts import ConflictLog
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import Rule


class JoinPointKind:
    """How rules of one kind apply: to a package of a build (`advise`) and,
    in `rulec check`, to a package's source without a build (`check`)."""

    keyword: ClassVar[str]
    # Whether the rule's `before`/`after` hooks are looked up for it.
    takes_hooks: ClassVar[bool] = True

    def advise(
        self, rule: Rule, pkg: Package, build: Build, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
    ) -> list[Advice | FieldAdvice]:
        """The rule's advice in `pkg`, the package its join point names;
        each problem goes to `diags`."""
        raise NotImplementedError

    def unmatched(self, rule: Rule) -> str:
        """Why the rule is inactive when it found nothing and no error."""
        return "it cannot apply (see the errors above)"

    def check(
        self, rule: Rule, src: Path, files: tuple[str, ...], before: Hook | None, after: Hook | None, hooks_ok: bool, log: ConflictLog
    ) -> list[Diagnostic]:
        """The rule against its target package's source in `src` (`files`)."""
        raise NotImplementedError


KINDS: dict[str, JoinPointKind] = {}


def register(cls: type[JoinPointKind]) -> type[JoinPointKind]:
    """Class decorator: make `cls` the kind of its keyword."""
    if cls.keyword in KINDS:
        raise ValueError(f"join-point kind {cls.keyword!r} is registered twice")
    KINDS[cls.keyword] = cls()
    return cls
