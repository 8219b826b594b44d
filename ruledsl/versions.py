"""Version ranges of rules: `">= v9.0.0, < v10"`, `">= 1.22"`.

Versions are Go module versions (semver with a `v`) or Go releases
(`1.22`, `go1.22.3`); both compare as dotted numbers, and a pre-release
(`-rc.1`) sorts before its release, as in semver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLAUSE = re.compile(r"^\s*(>=|<=|>|<|=)\s*(\S+)\s*$")
_VERSION = re.compile(r"^(?:go|v)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")

Key = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]


class VersionError(ValueError):
    pass


def version_key(text: str) -> Key:
    """Sort key of a version; raises VersionError when it is not one."""
    m = _VERSION.match(text.strip())
    if not m:
        raise VersionError(f"{text!r} is not a version (expected e.g. v1.2.3 or 1.22)")
    major, minor, patch, pre = m.groups()
    # A release sorts after all of its pre-releases; pre-release identifiers
    # compare as in semver: numeric ones as numbers, below alphanumeric ones.
    ids = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in pre.split(".")) if pre else ()
    return (int(major), int(minor or 0), int(patch or 0), 0 if pre else 1, ids)


_OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}


@dataclass(frozen=True)
class VersionRange:
    text: str
    clauses: tuple[tuple[str, Key], ...]

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        clauses = []
        if not text.strip():
            raise VersionError('empty version range (expected e.g. ">= v1.2.0, < v2")')
        for part in text.split(","):
            m = _CLAUSE.match(part)
            if not m:
                raise VersionError(
                    f"{part.strip()!r} is not a version constraint (expected an operator among >=, >, <=, <, = followed by a version)"
                )
            clauses.append((m.group(1), version_key(m.group(2))))
        return cls(text, tuple(clauses))

    @classmethod
    def any(cls) -> VersionRange:
        return cls("any", ())

    def lower_bound(self) -> str | None:
        """The version a `>=` clause names, as written, if there is one."""
        for part in self.text.split(","):
            m = _CLAUSE.match(part)
            if m and m.group(1) == ">=":
                return m.group(2)
        return None

    def contains(self, version: str) -> bool:
        key = version_key(version)
        return all(_OPS[op](key, bound) for op, bound in self.clauses)

    def __str__(self) -> str:
        return self.text
