"""Parse .gorule files into `ruledsl.model` values.

The textX metamodel is built once per process from gorule.tx. Positions are
copied into the model at once (textX objects never leave this module), and
every syntax or semantic problem becomes a `Diagnostic`, never a traceback.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from textx import TextXError, get_location, metamodel_from_file

from ruledsl.diagnostics import Diagnostic, Pos
from ruledsl.model import MAIN_PACKAGE, FuncTarget, HookRef, JoinPoint, Plugin, Rule, SpanSpec
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
        line = self.text.count("\n", 0, start) + 1
        col = start - (self.text.rfind("\n", 0, start) + 1) + 1
        got = f"got {obj.rest!r}" if obj.rest else "got nothing"
        self.error(Pos(self.file, line, col), "syntax", f"`{word}` needs {expected}; {got}")

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
        if kind == "UnknownJoinPoint" and jp.kind in ("call", "handler"):
            expected = "PKG.Func, PKG.Type.Method or PKG.(*Type).Method" if jp.kind == "call" else "PKG.Type"
            self.malformed(jp, f"on {jp.kind}", expected)
            return None
        if kind == "UnknownJoinPoint":
            self.error(pos, "unknown-joinpoint", f"unknown join-point kind {jp.kind!r} (expected `on call` or `on handler`)")
            return None
        if kind == "HandlerJoinPoint":
            pkg = self.package(jp.pkg, jp)
            if pkg is None:
                return None
            return JoinPoint("handler", FuncTarget(pkg, "ServeHTTP", recv=jp.type, pointer=None), pos)
        f = jp.func
        pkg = self.package(f.pkg, f)
        if pkg is None:
            return None
        recv = f.recv or None
        return JoinPoint("call", FuncTarget(pkg, f.name, recv=recv, pointer=bool(f.pointer) if recv else None), pos)

    def hook(self, advice: Any) -> HookRef | None:
        pkg = self.package(advice.hook.pkg, advice.hook)
        if pkg is None:
            return None
        return HookRef(pkg, advice.hook.name, _pos(advice.hook, self.file))

    def rule(self, plugin: str, r: Any) -> Rule | None:
        jp = self.joinpoint(r.joinpoint)
        hooks: dict[str, HookRef | None] = {"BeforeAdvice": None, "AfterAdvice": None}
        span: SpanSpec | None = None
        for adv in r.advice:
            kind = type(adv).__name__
            pos = _pos(adv, self.file)
            if kind == "SpanAdvice":
                if span is not None:
                    self.error(pos, "advice", f"rule {r.name!r} has more than one `span`")
                span = SpanSpec(adv.name, adv.kind or "internal", pos)
                continue
            if kind == "UnknownAdvice" and adv.kind in ("before", "after", "span"):
                self.malformed(adv, adv.kind, 'a quoted name, span "NAME"' if adv.kind == "span" else "a hook, PKG.Func")
                continue
            if kind == "UnknownAdvice":
                self.error(pos, "unknown-advice", f'unknown advice {adv.kind!r} (expected `before HOOK`, `after HOOK` or `span "NAME"`)')
                continue
            if hooks[kind] is not None:
                word = "before" if kind == "BeforeAdvice" else "after"
                self.error(pos, "advice", f"rule {r.name!r} has more than one `{word}` hook")
                continue
            hooks[kind] = self.hook(adv)
        if span is not None and (hooks["BeforeAdvice"] or hooks["AfterAdvice"]):
            self.error(span.pos, "advice", f"rule {r.name!r} mixes `span` with hooks; give each its own rule")
        if jp is None:
            return None
        return Rule(plugin, r.name, jp, hooks["BeforeAdvice"], hooks["AfterAdvice"], _pos(r, self.file), span)


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
