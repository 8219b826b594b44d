"""Insert advice into Go functions without moving a single line.

For each planned function the advice goes on the line of its opening brace:

    func (sh serverHandler) ServeHTTP(rw ResponseWriter, req *Request) {<advice>/*line server.go:3302:71*/

so every original statement keeps its line, and the `/*line*/` directive
puts the columns after the insertion back where they were. Parameters and
results the advice must name but that have no usable name (`_` or
unnamed) get generated names, edited in place on their own lines. A
`//line` directive on top of the file keeps the original file name in
positions, panics and compiler errors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from rulec.compiler import gosource
from rulec.compiler.gonames import ImportNames
from rulec.compiler.plan import ERROR, PANIC, CallSite, Expr, FieldEdit, FuncEdit, HookCall

PREFIX = "__rulec_"


class RewriteError(Exception):
    """The file cannot take its planned advice; says which function and why."""


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


# A `//line PATH:LINE[:COL]` directive at the start of a line.
_LINE_DIRECTIVE = re.compile(rb"^//line (.+?):(\d+)(?::\d+)?$", re.MULTILINE)


def _origin(source: bytes, offset: int, display_path: str) -> tuple[str, int, int]:
    """The file, line and column that `offset` stands for.

    Text another tool generated (the cover tool's output under -cover, cgo's
    under import "C") maps its lines to the user's file with `//line`
    directives; advice positions follow the last one before `offset`.
    """
    line, col = _position(source, offset)
    last = None
    for m in _LINE_DIRECTIVE.finditer(source, 0, offset):
        last = m
    if last is None:
        return display_path, line, col
    directive_line = _position(source, last.start())[0]
    return last.group(1).decode(), int(last.group(2)) + line - directive_line - 1, col


def rewrite_file(
    source: bytes,
    edits: tuple[FuncEdit, ...],
    package_path: str,
    display_path: str,
    fields: tuple[FieldEdit, ...] = (),
    call_sites: tuple[CallSite, ...] = (),
) -> bytes:
    """Return `source` with `edits`, `fields` and `call_sites` applied;
    `display_path` is the file name positions should keep (the original
    file's path)."""
    # The compile has no listing: the plan names the called packages.
    parsed = gosource.parse(source, package_path, ImportNames.declared({s.package: s.package_name for s in call_sites}))
    changes: list[_Edit] = []
    for edit in edits:
        decl = parsed.find(edit.recv, edit.name)
        if decl is None:
            problem = "does not parse" if parsed.has_errors else "has no such function"
            raise RewriteError(f"{display_path}: {problem}: cannot advise {edit.label()} in package {package_path}")
        if decl.body_open is None:
            raise RewriteError(f"{display_path}:{decl.line}: {edit.label()} has no Go body to advise")
        changes.extend(_advise(source, decl, edit, display_path))
        if edit.result_filter:
            changes.extend(_filter_results(source, decl, edit, display_path))
    for f in fields:
        changes.append(_add_field(source, f, package_path, display_path))
    for site in call_sites:
        changes.extend(_redirect_calls(source, parsed, site, display_path))
    changes.sort(key=lambda e: e.start, reverse=True)
    out = source
    for ch in changes:
        out = out[: ch.start] + ch.text.encode() + out[ch.end :]
    return f"//line {display_path}:1\n".encode() + out


def _add_field(source: bytes, f: FieldEdit, package_path: str, display_path: str) -> _Edit:
    """The field appended last, before the closing brace and on its line: no
    field moves (assembly relies on their offsets) and no line moves."""
    point = gosource.struct_append_point(source, f.type_name)
    if point is None:
        raise RewriteError(f"{display_path}: no struct type {f.type_name} to add {f.decl!r} to, in package {package_path}")
    close, separate = point
    text = ("; " if separate else "") + (f"/*line {f.pos}*/" if f.pos is not None else "") + f"{f.decl}; "
    if f.pos is not None:  # a rule's field: the compiler's errors about it name the rule
        text += _restore(source, close, display_path)
    return _Edit(close, close, text)


def _restore(source: bytes, offset: int, display_path: str) -> str:
    """A directive giving the text at `offset` its own position back."""
    path, line, col = _origin(source, offset, display_path)
    return f"/*line {path}:{line}:{col}*/"


def _redirect_calls(source: bytes, parsed: gosource.GoFile, site: CallSite, display_path: str) -> list[_Edit]:
    """`pkg.F(args)` → `wrapper(args)`, columns after it kept by a directive."""
    local = next((name for name, path in parsed.imports.items() if path == site.package), None)
    if local is None:
        return []
    spans = gosource.call_sites(source, local, site.name)
    edits = [_Edit(start, end, site.wrapper + _restore(source, end, display_path)) for start, end in spans]
    if edits:
        # The import may have no other use left; a line added after the
        # last one moves nothing.
        edits.append(_Edit(len(source), len(source), f"\nvar _ = {local}.{site.name}\n"))
    return edits


def _position(source: bytes, offset: int) -> tuple[int, int]:
    line = source.count(b"\n", 0, offset) + 1
    col = offset - (source.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _filter_results(source: bytes, decl: gosource.FuncDecl, edit: FuncEdit, display_path: str) -> list[_Edit]:
    """`return X` → `return F(X, p0, p1, ...)`: F sees, and may replace, the result."""
    if len(decl.results) != 1 or any(not p.usable for p in decl.params):
        raise RewriteError(f"{display_path}:{decl.line}: {edit.label()} needs one result and named parameters for a result filter")
    args = "".join(f", {p.name}" for p in decl.params)
    edits = []
    for span in gosource.return_values(source, decl):
        if span is None:
            raise RewriteError(f"{display_path}:{decl.line}: {edit.label()} has a bare return; cannot filter its result")
        start, end = span
        edits += [_Edit(start, start, f"{edit.result_filter}("), _Edit(end, end, f"{args})")]
    return edits


def _advise(source: bytes, decl: gosource.FuncDecl, edit: FuncEdit, display_path: str) -> list[_Edit]:
    edits: list[_Edit] = []
    calls = edit.calls
    exprs = [e.base for c in calls for e in (*(v for _, v in (*c.start_attrs, *c.end_attrs)), c.error) if e is not None]
    specs = [a.lstrip("&") for c in calls for a in (*c.before_args, *c.after_args) if a not in (PANIC, ERROR)] + exprs
    names: dict[str, str | None] = {
        "recv": _name_for(decl.recv, "recv", "recv" in specs, edits) if decl.recv else None,
    }
    _name_list(decl.params, "p", any(s.startswith("p") for s in specs), names, edits)
    if any(s.startswith("r") and s != "recv" for s in specs):
        _name_results(decl, names, edits)

    code: list[str] = [f"{stmt};" for stmt in edit.prologue]
    for i, call in enumerate(calls):
        state = f"{PREFIX}s{i}"
        if call.entry:
            code.append(_entry_code(*call.entry))
        if call.before:
            args = ", ".join(_arg(a, names) for a in call.before_args)
            if call.state and call.after:
                code.append(f"{state} := {call.before}({args});")
                if call.start_attrs:
                    code.append(_contained(call, state, _attrs_calls(call, state, call.start_attrs, names)))
            else:
                code.append(f"{call.before}({args});")
        if call.after:
            # An after hook that takes the panic value sees it and passes it on:
            # the same value is panicked again, so callers see what they would have.
            caught, err = f"{PREFIX}p{i}", f"{PREFIX}e{i}"
            args = [state] if call.state and call.before else []
            args += [caught if a == PANIC else err if a == ERROR else _arg(a, names) for a in call.after_args]
            first = _contained(call, state, _attrs_calls(call, state, call.end_attrs, names) + _error_value(call, err, names))
            if call.error is not None:
                first = f"var {err} error; {first}"
            if PANIC in call.after_args:
                repanic = f"if {caught} != nil {{ panic({caught}) }}"
                code.append(f"defer func() {{ {caught} := recover(); {first}{call.after}({', '.join(args)}); {repanic} }}();")
            elif args or first:
                code.append(f"defer func() {{ {first}{call.after}({', '.join(args)}) }}();")
            else:
                code.append(f"defer {call.after}();")
    if not code:
        return edits
    after_brace = decl.body_open + 1
    path, line, col = _origin(source, after_brace, display_path)
    code.append(f"/*line {path}:{line}:{col}*/")
    edits.append(_Edit(after_brace, after_brace, " " + " ".join(code)))
    return edits


def _entry_code(statements: str, pos: str) -> str:
    """`at entry` statements on the brace's line, however many lines they
    were written over: no line of the file moves."""
    path, line, col = pos.rsplit(":", 2)
    return gosource.one_line(statements, path, int(line), int(col)) + ";"


def _contained(call: HookCall, state: str, statements: list[str]) -> str:
    """`statements`, run only while the span records, each on its own: a nil
    on the way to one value (a nil result beside an error) loses that value
    only, and never panics in the app."""
    if not statements:
        return ""
    each = " ".join(f'func() {{ defer {PREFIX}contain("{call.rule}"); {s} }}();' for s in statements)
    return f"if {state} != nil {{ {each} }}; "


def _attrs_calls(call: HookCall, state: str, attrs: tuple[tuple[str, Expr], ...], names: dict[str, str | None]) -> list[str]:
    return [f"{call.attrs}({state}, {json.dumps(key)}, {_expr(value, names)})" for key, value in attrs]


def _error_value(call: HookCall, err: str, names: dict[str, str | None]) -> list[str]:
    return [f"{err} = {_expr(call.error, names)}"] if call.error is not None else []


def _expr(e: Expr, names: dict[str, str | None]) -> str:
    # A directive before each part: an error about `.Currency` is reported
    # at `Currency` in the rule, not somewhere in rewritten Go.
    out = f"/*line {e.pos}*/{_arg(e.base, names)}"
    for text, pos in e.selectors:
        out += f"./*line {pos}*/{text.lstrip('.')}"
    return out


def _arg(spec: str, names: dict[str, str | None]) -> str:
    pointer = spec.startswith("&")
    name = names[spec.lstrip("&")]
    if name is None:
        raise RewriteError(f"advice names {spec!r}, which the function does not have")
    return "&" + name if pointer else name


def _name_for(param: gosource.Param, generated: str, needed: bool, edits: list[_Edit]) -> str | None:
    if param.usable or not needed:
        return param.name
    new = PREFIX + generated
    if param.name_span is not None:  # `_`
        edits.append(_Edit(*param.name_span, new))
    else:
        edits.append(_Edit(param.name_at, param.name_at, new + " "))
    return new


def _name_list(params: tuple[gosource.Param, ...], letter: str, needed: bool, names: dict[str, str | None], edits: list[_Edit]) -> None:
    # Go names all parameters of a list or none, so an unnamed list gets a
    # name for each; `_` names are replaced one by one.
    for i, p in enumerate(params):
        names[f"{letter}{i}"] = _name_for(p, f"{letter}{i}", needed, edits)


def _name_results(decl: gosource.FuncDecl, names: dict[str, str | None], edits: list[_Edit]) -> None:
    if decl.results and not decl.results_parenthesized:
        # `func f() error` → `func f() (__rulec_r0 error)`
        start, end = decl.results_span
        edits.append(_Edit(start, start, f"({PREFIX}r0 "))
        edits.append(_Edit(end, end, ")"))
        names["r0"] = PREFIX + "r0"
        return
    _name_list(decl.results, "r", True, names, edits)
