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
# The argument spec for "the error `record error` names".
ERROR = "error"


@dataclass(frozen=True)
class Expr:
    """A value a rule names (`arg.req.Currency`), as Go: `base` is an argument
    spec (`recv`, `pN`, `rN`), then `.Field`/`.Method()` selectors. Each part
    carries its .gorule position, so that the compiler's errors about it
    point at the rule."""

    base: str
    pos: str  # "file:line:col"
    selectors: tuple[tuple[str, str], ...] = ()  # (".Name" or ".Name()", its position)

    @classmethod
    def from_json(cls, raw: dict) -> Expr:
        return cls(raw["base"], raw["pos"], tuple(tuple(s) for s in raw["selectors"]))


@dataclass(frozen=True)
class HookCall:
    """One rule's advice on one function.

    Argument specs name what the generated code passes: `recv`, `pN` (the
    Nth parameter), `rN` (the Nth result), prefixed with `&` when the hook
    takes a pointer so that it can replace the value, `panic` (the panic
    in flight, or nil; the advice re-panics it after the hook) and `error`
    (the value of `error`).
    """

    rule: str
    before: str | None = None  # wrapper function in the package's trampoline file
    before_args: tuple[str, ...] = ()
    state: bool = False  # the before hook returns a value the after hook takes
    after: str | None = None
    after_args: tuple[str, ...] = ()
    # A declarative span's attributes, set through `attrs` on the state:
    # (key, value) pairs taken at the start and at the end.
    attrs: str | None = None
    start_attrs: tuple[tuple[str, Expr], ...] = ()
    end_attrs: tuple[tuple[str, Expr], ...] = ()
    error: Expr | None = None
    entry: tuple[str, str] | None = None  # (Go statements, their position) run first

    @classmethod
    def from_json(cls, c: dict) -> HookCall:
        def pairs(raw: list) -> tuple[tuple[str, Expr], ...]:
            return tuple((k, Expr.from_json(v)) for k, v in raw)

        return cls(
            c["rule"],
            c["before"],
            tuple(c["before_args"]),
            c["state"],
            c["after"],
            tuple(c["after_args"]),
            c.get("attrs"),
            pairs(c.get("start_attrs", ())),
            pairs(c.get("end_attrs", ())),
            Expr.from_json(c["error"]) if c.get("error") else None,
            tuple(c["entry"]) if c.get("entry") else None,
        )


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
    pos: str | None = None  # the .gorule position that adds it


@dataclass(frozen=True)
class CallSite:
    """Calls of `package`.`name` in a file go to `wrapper` instead."""

    package: str
    name: str
    wrapper: str
    # The package's declared name: what a file importing it unaliased calls it.
    package_name: str = ""


@dataclass(frozen=True)
class PackagePlan:
    import_path: str
    digest: str
    files: dict[str, tuple[FuncEdit, ...]] = field(default_factory=dict)  # file basename → edits
    fields: dict[str, tuple[FieldEdit, ...]] = field(default_factory=dict)  # file basename → struct edits
    # (rulec's copy of the package's module, the module cache directory it
    # stands for): file paths in the output name the latter.
    dir_rewrite: tuple[str, str] | None = None
    call_sites: dict[str, tuple[CallSite, ...]] = field(default_factory=dict)  # file basename → calls to redirect
    # A standard-library package's generated file, which the compile gets
    # from toolexec rather than -overlay (compiler/gocommand/gcflags.py): (where
    # it is, the path in the package's directory it stands for).
    generated: tuple[str, str] | None = None

    @property
    def planned_files(self) -> set[str]:
        return set(self.files) | set(self.fields) | set(self.call_sites)

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
                    tuple(HookCall.from_json(c) for c in e["calls"]),
                    tuple(e.get("prologue", ())),
                    e.get("result_filter"),
                )
                for e in edits
            )
            for base, edits in raw["files"].items()
        }
        fields = {base: tuple(FieldEdit(**f) for f in edits) for base, edits in raw.get("fields", {}).items()}
        sites = {base: tuple(CallSite(**s) for s in edits) for base, edits in raw.get("call_sites", {}).items()}
        rewrite, generated = raw.get("dir_rewrite"), raw.get("generated")
        return cls(
            raw["import_path"],
            raw["digest"],
            files,
            fields,
            tuple(rewrite) if rewrite else None,
            sites,
            tuple(generated) if generated else None,
        )


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
    warnings: list[str] = field(default_factory=list)  # what rulec left out of this build that it would do elsewhere
    absent: dict[str, list[str]] = field(default_factory=dict)  # plugin → its inactive rules whose library the build lacks
    runtime: list[str] = field(default_factory=list)  # "module: why" for each runtime module linked
    build_packages: int = 0  # packages in the build, the runtime's included: at most what a build compiles

    def explained_inactive(self) -> list[tuple[str, str, str, bool]]:
        """The inactive rules but those whose library the build lacks: the
        ones whose reason is news (a version, a source that does not fit)."""
        absent = {r for rules in self.absent.values() for r in rules}
        return [i for i in self.inactive if i[0] not in absent]

    def absent_line(self) -> str:
        """One line for the rules whose library is not in the build, or ""."""
        n, p = sum(map(len, self.absent.values())), len(self.absent)
        if not n:
            return ""
        return f"{n} rule{'s' * (n != 1)} of {p} plugin{'s' * (p != 1)}: their libraries are not in this build"

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Summary:
        raw = json.loads(text)
        raw["inactive"] = [tuple(x) for x in raw["inactive"]]
        return cls(**raw)
