"""The rule model: plain, hashable data that later stages consume.

textX objects stay inside the parser; everything past it sees these frozen
dataclasses, each carrying the `Pos` of the .gorule text it came from, so a
problem found in any later stage still points at the rule's line.
"""

from __future__ import annotations

from dataclasses import dataclass

from ruledsl.diagnostics import Pos
from ruledsl.versions import VersionRange

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
class JoinPoint:
    kind: str  # "call" | "handler"
    target: FuncTarget
    pos: Pos


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
class SpanSpec:
    """A declarative span: rulec's runtime is the hook."""

    name: str
    kind: str  # a key of SPAN_KINDS
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

    @property
    def target_label(self) -> str:
        return f"go {self.versions}" if self.module is None else f"{self.module} {self.versions}"
