"""Parse .gorule files into `ruledsl.model` values.

The textX metamodel is built once per process from gorule.tx. Positions are
copied into the model at once (textX objects never leave this module), and
every syntax or semantic problem becomes a `Diagnostic`, never a traceback.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from textx import TextXError, get_location, metamodel_from_file

from ruledsl.diagnostics import Diagnostic, Pos
from ruledsl.model import (
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
from ruledsl.versions import VersionError, VersionRange

GRAMMAR = Path(__file__).with_name("gorule.tx")


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
        kind = type(jp).__name__
        pos = _pos(jp, self.file)
        if kind == "UnknownJoinPoint" and jp.kind in _JOINPOINT_OPERANDS:
            self.malformed(jp, f"on {jp.kind}", _JOINPOINT_OPERANDS[jp.kind])
            return None
        if kind == "UnknownJoinPoint":
            known = ", ".join(f"`on {k}`" for k in _JOINPOINT_OPERANDS)
            self.error(pos, "unknown-joinpoint", f"unknown join-point kind {jp.kind!r} (expected one of {known})")
            return None
        if kind in ("HandlerJoinPoint", "StructJoinPoint"):
            pkg = self.package(jp.pkg, jp)
            if pkg is None:
                return None
            if kind == "StructJoinPoint":
                return JoinPoint("struct", TypeTarget(pkg, jp.type), pos)
            return JoinPoint("handler", FuncTarget(pkg, "ServeHTTP", recv=jp.type, pointer=None), pos)
        f = jp.func
        pkg = self.package(f.pkg, f)
        if pkg is None:
            return None
        recv = f.recv or None
        if kind == "CallSiteJoinPoint" and recv is not None:
            # Which method a call site reaches depends on types rulec does not compute.
            self.error(pos, "advice", "`on callsite` takes a package-level function (PKG.Func); use `on call` for methods")
            return None
        jp_kind = "callsite" if kind == "CallSiteJoinPoint" else "call"
        return JoinPoint(jp_kind, FuncTarget(pkg, f.name, recv=recv, pointer=bool(f.pointer) if recv else None), pos)

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
        hooks: dict[str, HookRef | None] = {"BeforeAdvice": None, "AfterAdvice": None}
        span: SpanSpec | None = None
        attributes: list[AttributeSpec] = []
        error: ValueRef | None = None
        entry: EntryCode | None = None
        fields: list[FieldSpec] = []
        errors_before = len(self.diagnostics)
        for adv in r.advice:
            kind = type(adv).__name__
            pos = _pos(adv, self.file)
            if kind == "SpanAdvice":
                if span is not None:
                    self.error(pos, "advice", f"rule {r.name!r} has more than one `span`")
                span = SpanSpec(adv.name, adv.kind or "internal", pos)
            elif kind == "AttributesAdvice":
                for a in adv.attributes:
                    value = self.value(a.value)
                    if any(x.key == a.key for x in attributes):
                        self.error(_pos(a, self.file), "duplicate", f"attribute {a.key!r} is set twice in rule {r.name!r}")
                    elif value is not None:
                        attributes.append(AttributeSpec(a.key, value, _pos(a, self.file)))
            elif kind == "RecordErrorAdvice":
                if error is not None:
                    self.error(pos, "advice", f"rule {r.name!r} has more than one `record error`")
                error = self.value(adv.value)
            elif kind == "EntryAdvice":
                if entry is not None:
                    self.error(pos, "advice", f"rule {r.name!r} has more than one `at entry`")
                code = adv.code[1:-1]
                entry = EntryCode(code, self.code_pos(adv, adv.code))
            elif kind == "FieldAdvice":
                if any(f.name == adv.name for f in fields):
                    self.error(pos, "duplicate", f"field {adv.name!r} is added twice in rule {r.name!r}")
                fields.append(FieldSpec(adv.name, adv.type.strip(), self.field_pos(adv)))
            elif kind == "UnknownAdvice" and adv.kind in _ADVICE_OPERANDS:
                self.malformed(adv, adv.kind, _ADVICE_OPERANDS[adv.kind])
            elif kind == "UnknownAdvice":
                self.error(pos, "unknown-advice", f"unknown advice {adv.kind!r} (expected {_ADVICE_LIST})")
            elif hooks[kind] is not None:
                word = "before" if kind == "BeforeAdvice" else "after"
                self.error(pos, "advice", f"rule {r.name!r} has more than one `{word}` hook")
            else:
                hooks[kind] = self.hook(adv)
        if span is not None:
            span = SpanSpec(span.name, span.kind, span.pos, tuple(attributes), error)
        if jp is None or len(self.diagnostics) > errors_before:
            return None
        rule = Rule(
            plugin, r.name, jp, hooks["BeforeAdvice"], hooks["AfterAdvice"], _pos(r, self.file), span, entry, tuple(fields), r.priority
        )
        for problem in _inconsistencies(rule, bool(attributes), error is not None):
            self.error(rule.pos, "advice", f"rule {r.name!r} {problem}")
        return rule


# What each join-point kind and advice word takes, for "needs X; got Y" errors.
_JOINPOINT_OPERANDS = {
    "call": "PKG.Func, PKG.Type.Method or PKG.(*Type).Method",
    "callsite": "PKG.Func",
    "handler": "PKG.Type",
    "struct": "PKG.Type",
}
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


def _inconsistencies(rule: Rule, attributes: bool, error: bool) -> list[str]:
    """What the rule's combination of join point and advice gets wrong."""
    out = []
    hooks = rule.before is not None or rule.after is not None
    kind = rule.joinpoint.kind
    if kind == "struct":
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
    if rule.entry is not None and kind != "call":
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
