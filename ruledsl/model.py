"""The rule model: plain, hashable data that later stages consume.

textX objects stay inside the parser; everything past it sees these frozen
dataclasses, each carrying the `Pos` of the .gorule text it came from, so a
problem found in any later stage still points at the rule's line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rulec.ruledsl.diagnostics import Pos
from rulec.ruledsl.versions import VersionRange

# The module path of rulec's Go runtime (runtime-go/); hooks live under it.
RUNTIME_MODULE = "rulec.dev/runtime"
# The pseudo-package a rule uses to advise every main package's main().
MAIN_PACKAGE = "main"
# The runtime's own plugins (flush at exit, signal handling): a live switch
# must not turn them off, or a process would lose its last spans or change
# how it answers signals.
ALWAYS_ON_PLUGINS = frozenset({"lifecycle"})


@dataclass(frozen=True)
class FuncTarget:
    """A function or method in a Go package, as a join point names it."""

    package: str  # import path
    name: str
    recv: str | None = None  # receiver type name, for methods
    # True: (*T).M; False: T.M; None: either (handler join points).
    pointer: bool | None = None

    def __str__(self) -> str:
        if self.recv is None:
            return f"{self.package}.{self.name}"
        if self.pointer:
            return f"{self.package}.(*{self.recv}).{self.name}"
        return f"{self.package}.{self.recv}.{self.name}"


@dataclass(frozen=True)
class TypeTarget:
    """A named type in a Go package: what `on struct` names."""

    package: str
    name: str

    def __str__(self) -> str:
        return f"{self.package}.{self.name}"


@dataclass(frozen=True)
class JoinPoint:
    kind: str  # "call" | "handler" | "callsite" | "struct"
    target: FuncTarget | TypeTarget
    pos: Pos

    @property
    def func(self) -> FuncTarget:
        assert isinstance(self.target, FuncTarget), self
        return self.target


@dataclass(frozen=True)
class HookRef:
    """A Go function that advice runs: `hooks.ServerBefore`."""

    package: str  # import path
    name: str
    pos: Pos

    def __str__(self) -> str:
        return f"{self.package}.{self.name}"


# OTel's SpanKind numbering (go.opentelemetry.io/otel/trace).
SPAN_KINDS = {"internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}


@dataclass(frozen=True)
class Selector:
    """`.Name` or `.Method()` in a value path."""

    name: str
    call: bool
    pos: Pos


@dataclass(frozen=True)
class ValueRef:
    """A value of the advised call: `arg.req.Currency`, `result.0`, `recv.peer`.

    For `arg` and `result` the first selector names the parameter or result
    (by name, or by position from 0); the rest select fields and call
    argument-less methods, as the Go expression would.
    """

    root: str  # "arg" | "result" | "recv"
    selectors: tuple[Selector, ...]
    pos: Pos

    def __str__(self) -> str:
        return self.root + "".join(f".{s.name}{'()' * s.call}" for s in self.selectors)


@dataclass(frozen=True)
class AttributeSpec:
    key: str
    value: ValueRef
    pos: Pos


@dataclass(frozen=True)
class SpanSpec:
    """A declarative span: rulec's runtime is the hook."""

    name: str
    kind: str  # a key of SPAN_KINDS
    pos: Pos
    attributes: tuple[AttributeSpec, ...] = ()
    error: ValueRef | None = None  # None: a last `error` result, if any


@dataclass(frozen=True)
class EntryCode:
    """Go statements a rule inserts at a function's entry."""

    code: str
    pos: Pos  # of the code's first character


@dataclass(frozen=True)
class FieldSpec:
    """A field `add field` appends to a struct type."""

    name: str
    type: str
    pos: Pos


@dataclass(frozen=True)
class Rule:
    plugin: str
    name: str
    joinpoint: JoinPoint
    before: HookRef | None
    after: HookRef | None
    pos: Pos
    span: SpanSpec | None = None
    entry: EntryCode | None = None
    fields: tuple[FieldSpec, ...] = ()
    # Higher runs first (outermost) among rules on one function; ties go by
    # plugin name, then by order in the file.
    priority: int = 0

    @property
    def id(self) -> str:
        return f"{self.plugin}.{self.name}"


@dataclass(frozen=True)
class Plugin:
    """One .gorule file: a named plugin, what it targets, its rules."""

    name: str
    file: str
    module: str | None  # None: the Go standard library
    versions: VersionRange
    rules: tuple[Rule, ...]
    pos: Pos
    target_pos: Pos
    digest: str  # sha256 of the file's text, for cache keys
    # The newest release tested: `check --releases` falls back to it where the proxy lists no versions.
    tested: str | None = None

    @property
    def target_label(self) -> str:
        return f"go {self.versions}" if self.module is None else f"{self.module} {self.versions}"
