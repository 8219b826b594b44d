"""What resolution produces: advice fitted to the build's real functions.

Plain data, consumed by the planner and the trampoline generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rulec.compiler import gosource
from rulec.compiler.graph import RuleGraph
from rulec.compiler.plan import CallSite, Expr
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import RUNTIME_MODULE, FieldSpec, HookRef, Rule

CORE_PACKAGE = RUNTIME_MODULE + "/core"
# The file a call-site rule's wrappers live in: the calling package's generated file.
GENERATED_FILE = "zz_rulec_generated.go"


@dataclass(frozen=True)
class Hook:
    ref: HookRef
    decl: gosource.FuncDecl
    # Go literals the generated wrapper passes as the hook's last arguments
    # (a declarative span's name and kind); the advice passes the rest.
    consts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpanValues:
    """A declarative span's attributes and error, as Go expressions."""

    attrs: Hook | None  # core.SpanSetAttributes, when there are attributes
    start: tuple[tuple[str, Expr], ...] = ()
    end: tuple[tuple[str, Expr], ...] = ()
    error: Expr | None = None


@dataclass(frozen=True)
class Advice:
    """One active rule on one function of one package of the build."""

    rule: Rule
    package: str
    package_name: str
    file: str  # basename of the file that defines the function
    decl: gosource.FuncDecl
    before: Hook | None
    after: Hook | None
    before_args: tuple[str, ...]
    after_args: tuple[str, ...]
    state: bool
    values: SpanValues | None = None
    site: CallSite | None = None  # a call-site rule: advice on a wrapper the calls go to instead
    site_files: tuple[str, ...] = ()  # the calling package's files (basenames) whose calls go there

    @property
    def func_key(self) -> tuple[str, str | None, str]:
        """(file, receiver type, name) of the function the advice goes into."""
        if self.site is not None:
            return (GENERATED_FILE, None, self.site.wrapper)
        return (self.file, self.decl.recv_type, self.decl.name)

    @property
    def hooks(self) -> list[Hook]:
        return [h for h in (self.before, self.after, self.values.attrs if self.values else None) if h is not None]


@dataclass(frozen=True)
class FieldAdvice:
    """An `add field` rule on one struct type of the build."""

    rule: Rule
    package: str
    file: str
    type_name: str
    fields: tuple[FieldSpec, ...]


@dataclass
class Resolution:
    graph: RuleGraph
    advice: list[Advice]
    diagnostics: list[Diagnostic]
    fields: list[FieldAdvice] = field(default_factory=list)
