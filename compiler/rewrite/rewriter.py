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

import re
from dataclasses import dataclass

from compiler import gosource
from compiler.plan import PANIC, FieldEdit, FuncEdit

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
    source: bytes, edits: tuple[FuncEdit, ...], package_path: str, display_path: str, fields: tuple[FieldEdit, ...] = ()
) -> bytes:
    """Return `source` with `edits` and `fields` applied; `display_path` is the
    file name positions should keep (the original file's path)."""
    parsed = gosource.parse(source, package_path)
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
        close = gosource.struct_close(source, f.type_name)
        if close is None:
            raise RewriteError(f"{display_path}: no struct type {f.type_name} to add {f.decl!r} to, in package {package_path}")
        # Appended last, before the closing brace and on its line: no field
        # moves (assembly relies on their offsets) and no line moves.
        changes.append(_Edit(close, close, f"{f.decl}; "))
    changes.sort(key=lambda e: e.start, reverse=True)
    out = source
    for ch in changes:
        out = out[: ch.start] + ch.text.encode() + out[ch.end :]
    return f"//line {display_path}:1\n".encode() + out


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
    specs = [a.lstrip("&") for c in calls for a in (*c.before_args, *c.after_args) if a != PANIC]
    names: dict[str, str | None] = {
        "recv": _name_for(decl.recv, "recv", "recv" in specs, edits) if decl.recv else None,
    }
    _name_list(decl.params, "p", any(s.startswith("p") for s in specs), names, edits)
    if any(s.startswith("r") and s != "recv" for s in specs):
        _name_results(decl, names, edits)

    code: list[str] = [f"{stmt};" for stmt in edit.prologue]
    for i, call in enumerate(calls):
        state = f"{PREFIX}s{i}"
        if call.before:
            args = ", ".join(_arg(a, names) for a in call.before_args)
            if call.state and call.after:
                code.append(f"{state} := {call.before}({args});")
            else:
                code.append(f"{call.before}({args});")
        if call.after:
            # An after hook that takes the panic value sees it and passes it on:
            # the same value is panicked again, so callers see what they would have.
            caught = f"{PREFIX}p{i}"
            args = [state] if call.state and call.before else []
            args += [caught if a == PANIC else _arg(a, names) for a in call.after_args]
            if PANIC in call.after_args:
                repanic = f"if {caught} != nil {{ panic({caught}) }}"
                code.append(f"defer func() {{ {caught} := recover(); {call.after}({', '.join(args)}); {repanic} }}();")
            elif args:
                code.append(f"defer func() {{ {call.after}({', '.join(args)}) }}();")
            else:
                code.append(f"defer {call.after}();")
    if not code:
        return edits
    after_brace = decl.body_open + 1
    path, line, col = _origin(source, after_brace, display_path)
    code.append(f"/*line {path}:{line}:{col}*/")
    edits.append(_Edit(after_brace, after_brace, " " + " ".join(code)))
    return edits


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
