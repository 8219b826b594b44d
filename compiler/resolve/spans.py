"""Declarative spans: `span`, `attributes` and `record error`, as calls of
the runtime's own span hooks with values taken from the advised function."""

from __future__ import annotations

import json
import os

from rulec.compiler import gosource
from rulec.compiler.plan import ERROR, Expr
from rulec.compiler.resolve.advice import CORE_PACKAGE, Hook, SpanValues
from rulec.compiler.resolve.hooks import find_hook
from rulec.ruledsl.diagnostics import Diagnostic, Pos
from rulec.ruledsl.model import SPAN_KINDS, HookRef, Rule, Selector, ValueRef


def span_hooks(rule: Rule, decl: gosource.FuncDecl) -> tuple[Hook, Hook, tuple[str, ...], tuple[str, ...], SpanValues] | list[Diagnostic]:
    """The runtime's hooks for a declarative span on `decl`, their arguments,
    and the span's attribute values, or why the rule's values do not fit.

    The span's parent comes from the function's first context.Context
    parameter, if it has one; its error status from `record error`, or else
    from a last `error` result.
    """
    spec = rule.span
    ctx = next((i for i, p in enumerate(decl.params) if p.canonical == "{context}.Context" and p.usable), None)
    start = "SpanStartCtx" if ctx is not None else "SpanStart"
    names = (start, "SpanEnd", "SpanSetAttributes")
    found = {name: find_hook(HookRef(CORE_PACKAGE, name, spec.pos)) for name in names}
    missing = [n for n, d in found.items() if d is None]
    if missing:  # runtime-go and the compiler disagree: an installation problem
        raise RuntimeError(f"rulec's runtime lacks {', '.join(missing)}; reinstall rulec")
    start_values, end_values, problems = [], [], []
    for attr in spec.attributes:
        value = value_expr(attr.value, decl, rule)
        if isinstance(value, Diagnostic):
            problems.append(value)
        else:
            (end_values if attr.value.root == "result" else start_values).append((attr.key, value))
    error = value_expr(spec.error, decl, rule) if spec.error is not None else None
    if isinstance(error, Diagnostic):
        problems.append(error)
        error = None
    if problems:
        return problems
    literals = (_go_string(spec.name), str(SPAN_KINDS[spec.kind]))
    before = Hook(HookRef(CORE_PACKAGE, start, spec.pos), found[start], literals)
    failed = bool(decl.results) and decl.results[-1].canonical == "error"
    after_args: tuple[str, ...] = (f"r{len(decl.results) - 1}",) if failed else ()
    if error is not None:
        after_args = (ERROR,)
    after = Hook(HookRef(CORE_PACKAGE, "SpanEnd", spec.pos), found["SpanEnd"], () if after_args else ("nil",))
    attrs = Hook(HookRef(CORE_PACKAGE, "SpanSetAttributes", spec.pos), found["SpanSetAttributes"]) if spec.attributes else None
    before_args = (f"p{ctx}",) if ctx is not None else ()
    return before, after, before_args, after_args, SpanValues(attrs, tuple(start_values), tuple(end_values), error)


def _name_pos(s: Selector) -> Pos:
    return Pos(s.pos.file, s.pos.line, s.pos.col + 1)  # past the dot


def _where(pos: Pos) -> str:
    return f"{os.path.abspath(pos.file)}:{pos.line}:{pos.col}"


def value_expr(value: ValueRef, decl: gosource.FuncDecl, rule: Rule) -> Expr | Diagnostic:
    """`arg.req.Currency` on `decl` as Go: the parameter's spec, then the
    selectors. Whether the selectors exist is left to the Go compiler, whose
    errors the directives place on the rule's text."""
    selectors = value.selectors
    if value.root == "recv":
        if decl.recv is None:
            return Diagnostic(value.pos, "unknown-value", f"{rule.joinpoint.target} is not a method: it has no receiver")
        base = "recv"
    else:
        items = decl.params if value.root == "arg" else decl.results
        word = "parameter" if value.root == "arg" else "result"
        first, selectors = selectors[0], selectors[1:]
        index = int(first.name) if first.name.isdigit() else next((i for i, p in enumerate(items) if p.name == first.name), None)
        if index is None or index >= len(items):
            have = ", ".join(p.name or str(i) for i, p in enumerate(items)) or "none"
            why = f"{rule.joinpoint.target} has no {word} {first.name!r} (it has: {have})"
            return Diagnostic(_name_pos(first), "unknown-value", why)
        base = f"{'p' if value.root == 'arg' else 'r'}{index}"
    parts = tuple((f".{s.name}{'()' * s.call}", _where(_name_pos(s))) for s in selectors)
    return Expr(base, _where(value.pos), parts)


def _go_string(text: str) -> str:
    # A Go interpreted string literal; JSON's escapes are valid Go escapes.
    return json.dumps(text)
