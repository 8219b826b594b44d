"""Parse .gorule files into `ruledsl.model` values.

The textX metamodel is built once per process from gorule.tx. Positions are
copied into the model at once (textX objects never leave this module), and
every syntax or semantic problem becomes a `Diagnostic`, never a traceback.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from textx import TextXError, get_location, metamodel_from_file

from rulec.ruledsl.diagnostics import Diagnostic, Pos
from rulec.ruledsl.model import (
    MAIN_PACKAGE,
    AttributeSpec,
    EntryCode,
    FieldSpec,
    FuncTarget,
    HookRef,
    JoinPoint,
    Plugin,
    Rule,
    Selector,
    SpanSpec,
    TypeTarget,
    ValueRef,
)
from rulec.ruledsl.versions import VersionError, VersionRange

GRAMMAR = Path(__file__).with_name("gorule.tx")
_SEMVER_RELEASE = re.compile(r"^v\d+\.\d+\.\d+(\+incompatible)?$")


@cache
def _metamodel() -> Any:
    return metamodel_from_file(str(GRAMMAR), autokwd=True, memoization=True)


def _pos(obj: Any, file: str) -> Pos:
    loc = get_location(obj)
    return Pos(file, loc["line"], loc["col"])


class _Builder:
    """Turns one textX model into a Plugin, collecting diagnostics."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.text = text
        self.diagnostics: list[Diagnostic] = []
        self.imports: dict[str, str] = {}

    def error(self, pos: Pos, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(pos, code, message))

    def malformed(self, obj: Any, word: str, expected: str) -> None:
        # `on call`/`before`/`after` whose operand does not parse lands in the
        # Unknown* fallback: a syntax error at the operand, not an unknown kind.
        end = obj._tx_position_end
        start = end - len(obj.rest) if obj.rest else obj._tx_position
        got = f"got {obj.rest!r}" if obj.rest else "got nothing"
        self.error(self.pos_at(start), "syntax", f"`{word}` needs {expected}; {got}")

    def pos_at(self, offset: int) -> Pos:
        line = self.text.count("\n", 0, offset) + 1
        return Pos(self.file, line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)

    def build(self, tx: Any) -> Plugin | None:
        for imp in tx.imports:
            if imp.alias in self.imports:
                self.error(_pos(imp, self.file), "duplicate", f"import name {imp.alias!r} is declared twice")
            self.imports[imp.alias] = imp.path

        versions = VersionRange.any()
        if tx.target.range:  # textX gives "" when the clause is absent
            try:
                versions = VersionRange.parse(tx.target.range)
            except VersionError as e:
                self.error(_pos(tx.target, self.file), "version-range", str(e))
        tested = tx.target.tested or None
        if tested and not (tx.target.module and _SEMVER_RELEASE.match(tested) and versions.contains(tested)):
            why = f"tested {tested!r} must be a module release (vX.Y.Z) inside the range {versions}"
            self.error(_pos(tx.target, self.file), "version-range", why)

        rules: list[Rule] = []
        seen: set[str] = set()
        for r in tx.rules:
            if r.name in seen:
                self.error(_pos(r, self.file), "duplicate", f"rule {r.name!r} is declared twice in plugin {tx.name!r}")
            seen.add(r.name)
            rule = self.rule(tx.name, r)
            if rule is not None:
                rules.append(rule)
        if self.diagnostics:
            return None
        return Plugin(
            name=tx.name,
            file=self.file,
            module=None if tx.target.std else tx.target.module,
            versions=versions,
            tested=tested,
            rules=tuple(rules),
            pos=_pos(tx, self.file),
            target_pos=_pos(tx.target, self.file),
            digest=hashlib.sha256(self.text.encode()).hexdigest(),
        )

    def package(self, alias: str, obj: Any) -> str | None:
        if alias in self.imports:
            return self.imports[alias]
        if alias == MAIN_PACKAGE:
            return MAIN_PACKAGE
        self.error(
            _pos(obj, self.file),
            "unknown-import",
            f'{alias!r} is not imported; add `import {alias} "IMPORT/PATH"` at the top of the file',
        )
        return None

    def joinpoint(self, jp: Any) -> JoinPoint | None:
        syntax = JOINPOINTS.get(type(jp).__name__)
        if syntax is None:  # UnknownJoinPoint: a misspelt kind, or a kind whose operand does not parse
            known = {k.keyword: k for k in JOINPOINTS.values()}
            if jp.kind in known:
                self.malformed(jp, f"on {jp.kind}", known[jp.kind].operand)
            else:
                expected = ", ".join(f"`on {k}`" for k in known)
                self.error(_pos(jp, self.file), "unknown-joinpoint", f"unknown join-point kind {jp.kind!r} (expected one of {expected})")
            return None
        ref = jp.func if syntax.takes_func else jp
        pkg = self.package(ref.pkg, ref)
        if pkg is None:
            return None
        target = syntax.target(pkg, ref)
        if isinstance(target, str):
            self.error(_pos(jp, self.file), "advice", target)
            return None
        return JoinPoint(syntax.keyword, target, _pos(jp, self.file))

    def hook(self, advice: Any) -> HookRef | None:
        pkg = self.package(advice.hook.pkg, advice.hook)
        if pkg is None:
            return None
        return HookRef(pkg, advice.hook.name, _pos(advice.hook, self.file))

    def value(self, v: Any) -> ValueRef | None:
        selectors = tuple(Selector(s.name, bool(s.call), _pos(s, self.file)) for s in v.selectors)
        ref = ValueRef(v.root, selectors, _pos(v, self.file))
        if v.root != "recv" and (not selectors or selectors[0].call):
            self.error(ref.pos, "syntax", f"`{v.root}` needs the name or position of a {_ROOT_WORD[v.root]}, as in `{v.root}.NAME`")
            return None
        if any(s.name[0].isdigit() for s in selectors[v.root != "recv" :]):
            self.error(ref.pos, "syntax", f"{ref}: a field or method name cannot start with a digit")
            return None
        return ref

    def field_pos(self, obj: Any) -> Pos:
        """Where an added field's name is: Go's errors about the field count from there."""
        m = re.compile(r"add\s+field\s+").match(self.text, obj._tx_position)
        return self.pos_at(m.end() if m else obj._tx_position)

    def code_pos(self, obj: Any, code: str) -> Pos:
        """Where the text inside a `...` literal begins."""
        return self.pos_at(obj._tx_position_end - len(code) + 1)

    def rule(self, plugin: str, r: Any) -> Rule | None:
        jp = self.joinpoint(r.joinpoint)
        parts = _RuleParts(r.name)
        errors_before = len(self.diagnostics)
        for adv in r.advice:
            _ADVICE[type(adv).__name__](self, parts, adv)
        if jp is None or len(self.diagnostics) > errors_before:
            return None
        span = parts.span
        if span is not None:
            span = SpanSpec(span.name, span.kind, span.pos, tuple(parts.attributes), parts.error)
        rule = Rule(plugin, r.name, jp, parts.before, parts.after, _pos(r, self.file), span, parts.entry, tuple(parts.fields), r.priority)
        for problem in _inconsistencies(rule, JOINPOINTS_BY_KEYWORD[jp.kind], bool(parts.attributes), parts.error is not None):
            self.error(rule.pos, "advice", f"rule {r.name!r} {problem}")
        return rule


@dataclass
class _RuleParts:
    """A rule's advice as its advice clauses are read, one after another."""

    name: str
    before: HookRef | None = None
    after: HookRef | None = None
    span: SpanSpec | None = None
    attributes: list[AttributeSpec] = field(default_factory=list)
    error: ValueRef | None = None
    entry: EntryCode | None = None
    fields: list[FieldSpec] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # the advice words given once already

    def once(self, b: _Builder, adv: Any, word: str) -> bool:
        """Whether this is the rule's first `word`; a second is an error."""
        if word in self.seen:
            b.error(_pos(adv, b.file), "advice", f"rule {self.name!r} has more than one {word}")
            return False
        self.seen.add(word)
        return True


# Advice kinds: how each grammar alternative of `Advice` adds to a rule. A
# new advice kind is one grammar alternative, one model class and one entry here.
def _before(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if parts.once(b, adv, "`before` hook"):
        parts.before = b.hook(adv)


def _after(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if parts.once(b, adv, "`after` hook"):
        parts.after = b.hook(adv)


def _span(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if parts.once(b, adv, "`span`"):
        parts.span = SpanSpec(adv.name, adv.kind or "internal", _pos(adv, b.file))


def _attributes(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    for a in adv.attributes:
        value = b.value(a.value)
        if any(x.key == a.key for x in parts.attributes):
            b.error(_pos(a, b.file), "duplicate", f"attribute {a.key!r} is set twice in rule {parts.name!r}")
        elif value is not None:
            parts.attributes.append(AttributeSpec(a.key, value, _pos(a, b.file)))


def _record_error(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if parts.once(b, adv, "`record error`"):
        parts.error = b.value(adv.value)


def _entry(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if parts.once(b, adv, "`at entry`"):
        parts.entry = EntryCode(adv.code[1:-1], b.code_pos(adv, adv.code))


def _field(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if any(f.name == adv.name for f in parts.fields):
        b.error(_pos(adv, b.file), "duplicate", f"field {adv.name!r} is added twice in rule {parts.name!r}")
    parts.fields.append(FieldSpec(adv.name, adv.type.strip(), b.field_pos(adv)))


def _unknown_advice(b: _Builder, parts: _RuleParts, adv: Any) -> None:
    if adv.kind in _ADVICE_OPERANDS:  # a known word whose operand does not parse
        b.malformed(adv, adv.kind, _ADVICE_OPERANDS[adv.kind])
    else:
        b.error(_pos(adv, b.file), "unknown-advice", f"unknown advice {adv.kind!r} (expected {_ADVICE_LIST})")


_ADVICE: dict[str, Callable[[_Builder, _RuleParts, Any], None]] = {
    "BeforeAdvice": _before,
    "AfterAdvice": _after,
    "SpanAdvice": _span,
    "AttributesAdvice": _attributes,
    "RecordErrorAdvice": _record_error,
    "EntryAdvice": _entry,
    "FieldAdvice": _field,
    "UnknownAdvice": _unknown_advice,
}


@dataclass(frozen=True)
class JoinPointSyntax:
    """A join-point kind as the language sees it; what it advises in Go is
    its compiler/joinpoints/ module of the same keyword."""

    keyword: str
    operand: str  # what follows the keyword, for "needs X; got Y" errors
    takes_func: bool  # its grammar alternative names a FuncRef (`func=`), else PKG.Type
    # The target from the operand's package and textX object, or why not.
    target: Callable[[str, Any], FuncTarget | TypeTarget | str]
    body: bool = False  # advice goes into the function's own body: `at entry` applies
    fields: bool = False  # a struct type: `add field` is its only advice


def _func(pkg: str, f: Any) -> FuncTarget:
    recv = f.recv or None
    return FuncTarget(pkg, f.name, recv=recv, pointer=bool(f.pointer) if recv else None)


def _site(pkg: str, f: Any) -> FuncTarget | str:
    if f.recv:  # which method a call site reaches depends on types rulec does not compute
        return "`on callsite` takes a package-level function (PKG.Func); use `on call` for methods"
    return _func(pkg, f)


# Join-point kinds, by their grammar alternative (gorule.tx).
JOINPOINTS: dict[str, JoinPointSyntax] = {
    "CallJoinPoint": JoinPointSyntax("call", "PKG.Func, PKG.Type.Method or PKG.(*Type).Method", True, _func, body=True),
    "CallSiteJoinPoint": JoinPointSyntax("callsite", "PKG.Func", True, _site),
    "HandlerJoinPoint": JoinPointSyntax("handler", "PKG.Type", False, lambda pkg, jp: FuncTarget(pkg, "ServeHTTP", recv=jp.type)),
    "StructJoinPoint": JoinPointSyntax("struct", "PKG.Type", False, lambda pkg, jp: TypeTarget(pkg, jp.type), fields=True),
}
JOINPOINTS_BY_KEYWORD = {s.keyword: s for s in JOINPOINTS.values()}


# What each join-point kind and advice word takes, for "needs X; got Y" errors.
_ADVICE_OPERANDS = {
    "before": "a hook, PKG.Func",
    "after": "a hook, PKG.Func",
    "span": 'a quoted name, span "NAME"',
    "attributes": "{ key: arg.NAME, ... }",
    "record": "`error` and a value, record error result.err",
    "at": "`entry` and Go statements in backquotes",
    "add": "`field` NAME TYPE",
}
_ADVICE_LIST = "before, after, span, attributes, record error, at entry or add field"
_ROOT_WORD = {"arg": "parameter", "result": "result"}


def _inconsistencies(rule: Rule, syntax: JoinPointSyntax, attributes: bool, error: bool) -> list[str]:
    """What the rule's combination of join point and advice gets wrong."""
    out = []
    hooks = rule.before is not None or rule.after is not None
    if syntax.fields:
        if hooks or rule.span or rule.entry:
            out.append("advises a struct type: it can only `add field`")
        if not rule.fields:
            out.append("names a struct type but adds no field (`add field NAME TYPE`)")
        return out
    if rule.fields:
        out.append("adds a field, which needs `on struct PKG.Type`")
    if rule.span is not None and hooks:
        out.append("mixes `span` with hooks; give each its own rule")
    if (attributes or error) and rule.span is None:
        out.append("has `attributes`/`record error` without a `span` to put them on")
    if rule.entry is not None and not syntax.body:
        out.append("has `at entry` code, which needs `on call` (code goes into the function's own body)")
    if not (hooks or rule.span or rule.entry):
        out.append("has no advice (`before`, `after`, `span` or `at entry`)")
    return out


def parse_text(text: str, file: str) -> tuple[Plugin | None, list[Diagnostic]]:
    """Parse one file's text; returns the plugin or the reasons it has none."""
    try:
        # textX reads `file` from disk when the text is empty, so "" goes in nameless.
        tx = _metamodel().model_from_str(text, file_name=file if text else None)
    except TextXError as e:
        return None, [Diagnostic(Pos(file, e.line or 1, e.col or 1), "syntax", _syntax_message(e))]
    except RecursionError:
        return None, [Diagnostic(Pos(file, 1, 1), "syntax", "the file is nested too deeply to parse")]
    builder = _Builder(file, text)
    plugin = builder.build(tx)
    return plugin, builder.diagnostics


def parse_file(path: str | Path) -> tuple[Plugin | None, list[Diagnostic]]:
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, [Diagnostic(Pos(file, 1, 1), "read", f"cannot read rule file: {e}")]
    return parse_text(text, file)


def _syntax_message(e: TextXError) -> str:
    # textX messages end with " at position (file:line:col) => 'context'."; the
    # position is printed by the diagnostic already.
    message = str(getattr(e, "message", e))
    cut = message.find(" at position")
    return message[:cut] if cut > 0 else message
