"""Diagnostics: every problem rulec reports about a rule, as data.

A diagnostic is printed gcc-style, `file:line:col: error[code]: message`, so
editors and CI logs can jump to it. Codes are stable names that tests and
users can grep for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# code -> what it means; the message itself says the specifics.
CODES: dict[str, str] = {
    "syntax": "the file does not follow the .gorule grammar",
    "read": "the file could not be read",
    "unknown-joinpoint": "`on KIND` names a join-point kind rulec does not have",
    "unknown-advice": "a rule line names an advice kind rulec does not have",
    "unknown-import": 'a name is used before `import NAME "path"` declares it',
    "duplicate": "a name is declared twice",
    "version-range": "a version range is malformed",
    "advice": "a rule's advice is inconsistent",
    "unknown-hook": "a hook function does not exist in its Go package",
    "hook-signature": "a hook's signature does not fit the join point",
    "unknown-target": "a join point names a function that does not exist",
    "target-scope": "a join point names a package outside the plugin's target",
    "unknown-value": "an attribute or `record error` names a parameter or result the function does not have",
    "type": "Go code or a value a rule names does not compile against the target's source",
    "conflict": "two rules cannot both apply to one function or type",
    "unkeyed-literal": "`add field` names a struct type its package builds with unkeyed literals (`T{a, b}`), which a new field breaks",
    "no-release": "no release inside a rule's range could be found or fetched",
    "runtime-edit": "the goroutine-context edit does not fit a Go release's runtime source",
}


@dataclass(frozen=True)
class Pos:
    """Where something is in a .gorule file (1-based line and column)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    pos: Pos
    code: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}[{self.code}]: {self.message}"


class RuleError(Exception):
    """Raised by stages that cannot go on; carries the diagnostics why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
