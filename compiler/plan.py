"""The plan: what the rewriter does to each package, as plain JSON.

Written once per `rulec build` by the planner and read by the toolexec entry
for each planned compile. This module is the format only: it must stay cheap
to import (json and dataclasses), because the toolexec path imports it.

Layout of a plan directory:
  packages/<escaped import path>.json   one PackagePlan per advised package (and
                                        per package built from a module copy)
  modinfo.json                          build-info edits for the link, if any
  overlay.json                          the go command's -overlay file
  summary.json                          what `rulec build` reports at the end
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

# The argument spec for "the panic in flight, or nil".
PANIC = "panic"


@dataclass(frozen=True)
class HookCall:
    """One rule's advice on one function.

    Argument specs name what the generated code passes: `recv`, `pN` (the
    Nth parameter), `rN` (the Nth result), prefixed with `&` when the hook
    takes a pointer so that it can replace the value, and `panic` (the panic
    in flight, or nil; the advice re-panics it after the hook).
    """

    rule: str
    before: str | None = None  # wrapper function in the package's trampoline file
    before_args: tuple[str, ...] = ()
    state: bool = False  # the before hook returns a value the after hook takes
    after: str | None = None
    after_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class FuncEdit:
    recv: str | None
    name: str
    calls: tuple[HookCall, ...] = ()
    prologue: tuple[str, ...] = ()  # Go statements run first, before any advice
    result_filter: str | None = None  # `return X` becomes `return F(X, <params>)`

    def label(self) -> str:
        return f"({self.recv}).{self.name}" if self.recv else self.name


@dataclass(frozen=True)
class FieldEdit:
    """Fields appended to a struct type: `decl` is Go field syntax."""

    type_name: str
    decl: str


@dataclass(frozen=True)
class PackagePlan:
    import_path: str
    digest: str
    files: dict[str, tuple[FuncEdit, ...]] = field(default_factory=dict)  # file basename → edits
    fields: dict[str, tuple[FieldEdit, ...]] = field(default_factory=dict)  # file basename → struct edits
    # (rulec's copy of the package's module, the module cache directory it
    # stands for): file paths in the output name the latter.
    dir_rewrite: tuple[str, str] | None = None

    @property
    def planned_files(self) -> set[str]:
        return set(self.files) | set(self.fields)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, indent=1)

    @classmethod
    def from_json(cls, text: str) -> PackagePlan:
        raw = json.loads(text)
        files = {
            base: tuple(
                FuncEdit(
                    e["recv"],
                    e["name"],
                    tuple(
                        HookCall(c["rule"], c["before"], tuple(c["before_args"]), c["state"], c["after"], tuple(c["after_args"]))
                        for c in e["calls"]
                    ),
                    tuple(e.get("prologue", ())),
                    e.get("result_filter"),
                )
                for e in edits
            )
            for base, edits in raw["files"].items()
        }
        fields = {base: tuple(FieldEdit(f["type_name"], f["decl"]) for f in edits) for base, edits in raw.get("fields", {}).items()}
        rewrite = raw.get("dir_rewrite")
        return cls(raw["import_path"], raw["digest"], files, fields, tuple(rewrite) if rewrite else None)


@dataclass(frozen=True)
class ModuleCopies:
    """Modules the build reads from rulec's copies, not the module cache."""

    dirs: dict[str, tuple[str, str]]  # module path → (copy, module cache directory)
    # (text in the link's importcfg, its replacement): the build info as a plain build has it
    modinfo: list[tuple[str, str]]


@dataclass
class Summary:
    packages: dict[str, list[str]] = field(default_factory=dict)  # package → "Func: rule, rule"
    joinpoints: int = 0
    inactive: list[tuple[str, str, str, bool]] = field(default_factory=list)  # rule id, pos, reason, version skip
    plugins: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)  # "module vA → vB"
    notes: list[str] = field(default_factory=list)  # how this build differs from plain go, and why

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Summary:
        raw = json.loads(text)
        raw["inactive"] = [tuple(x) for x in raw["inactive"]]
        return cls(**raw)
