"""What a Go file calls the packages it imports without a name.

An unaliased import is used by the name its package declares, which only
reading that package tells. A build's `go list` has read them all; without
one (`rulec check`) rulec guesses as Go tooling does, from the import path.
Plain Python: the build's listing carries these names, and reading a
listing must not load tree-sitter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


def assumed_name(import_path: str) -> str:
    """The package name an unaliased import is used by, as Go tooling
    assumes it without reading the package: the last path element, skipping
    a major-version element (/v9) and dropping a .vN, go- prefix, -go or .go
    suffix and other characters that cannot be in a name."""
    parts = import_path.split("/")
    name = parts[-1]
    if len(parts) > 1 and re.fullmatch(r"v[0-9]+", name):
        name = parts[-2]
    name = re.sub(r"\.v[0-9]+$", "", name)  # gopkg.in/yaml.v3
    name = name.removeprefix("go-").removesuffix("-go").removesuffix(".go")
    return re.sub(r"[^A-Za-z0-9_]", "", name) or name


@dataclass(frozen=True)
class ImportNames:
    """The declared names that differ from the guess (few in any build), so
    that the value is small, hashable and keys the cache of parsed files."""

    differing: frozenset[tuple[str, str]] = frozenset()  # (import path, package name)
    _by_path: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_path", dict(self.differing))

    @classmethod
    def declared(cls, names: Mapping[str, str]) -> ImportNames:
        """From each package's declared name by import path (a build's listing)."""
        return cls(frozenset((path, name) for path, name in names.items() if name and name != assumed_name(path)))

    def of(self, import_path: str) -> str:
        """The name an unaliased import of `import_path` is used by."""
        return self._by_path.get(import_path) or assumed_name(import_path)


GUESSED = ImportNames()  # no listing: every name from its import path
