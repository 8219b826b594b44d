"""Go source, read with tree-sitter-go: imports, function signatures, types.

Shared by the resolver (is the target there, does the hook fit it) and the
rewriter (where to insert advice). Types are compared in a canonical form in
which every named type is qualified by its package's import path, so
`http.ResponseWriter` in a hook file and `ResponseWriter` inside net/http
are the same type.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

import tree_sitter_go
from tree_sitter import Language, Node, Parser

from rulec.compiler.gonames import GUESSED, ImportNames

# Predeclared type names: never qualified by a package.
BUILTIN_TYPES = frozenset(
    "any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 "
    "rune string uint uint8 uint16 uint32 uint64 uintptr".split()
)


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_go.language()))


class GoSyntaxError(Exception):
    """The Go text does not parse where rulec needs to read it."""


@dataclass(frozen=True)
class Param:
    name: str | None  # None when unnamed
    type: str  # as written (whitespace collapsed)
    canonical: str  # package-qualified, see module docstring
    variadic: bool = False
    # Byte offsets for the rewriter: the name's span, or where a name would go.
    name_span: tuple[int, int] | None = None
    name_at: int = 0

    @property
    def usable(self) -> bool:
        """Whether code can refer to this parameter by its name."""
        return self.name not in (None, "_")


@dataclass(frozen=True)
class FuncDecl:
    name: str
    recv_type: str | None  # base type name without `*` or type parameters
    recv_pointer: bool
    recv: Param | None
    params: tuple[Param, ...]
    results: tuple[Param, ...]
    line: int  # 1-based line of `func`
    # Byte ranges in the file, for the rewriter.
    recv_span: tuple[int, int] | None
    params_span: tuple[int, int]
    results_span: tuple[int, int] | None  # None: no results
    results_parenthesized: bool
    body_open: int | None  # offset of the body's `{`; None: no body

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.recv_type, self.name)


@dataclass(frozen=True)
class GoFile:
    package: str
    imports: dict[str, str]  # local name → import path ("_" and "." skipped)
    funcs: tuple[FuncDecl, ...]
    has_errors: bool

    def find(self, recv_type: str | None, name: str) -> FuncDecl | None:
        for f in self.funcs:
            if f.recv_type == recv_type and f.name == name:
                return f
        return None


def _text(node: Node) -> str:
    return node.text.decode("utf-8")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def canonical_type(node: Node, imports: dict[str, str], package: str, type_params: frozenset[str] = frozenset()) -> str:
    """A type node's text with every named type qualified by import path."""
    parts: list[str] = []

    def walk(n: Node) -> None:
        if n.type == "qualified_type":
            alias = _text(n.child_by_field_name("package"))
            parts.append("{" + imports.get(alias, alias) + "}." + _text(n.child_by_field_name("name")))
            return
        if n.type == "type_identifier":
            name = _text(n)
            parts.append(name if name in BUILTIN_TYPES or name in type_params else "{" + package + "}." + name)
            return
        if n.type == "interface_type" and n.named_child_count == 0:
            parts.append("any")
            return
        if n.child_count == 0:
            parts.append(_text(n))
            return
        for c in n.children:
            walk(c)

    walk(node)
    out = ""
    for p in parts:
        # Space only between two word-like tokens (`chan T`, `map[K]V` needs none).
        if out and (out[-1].isalnum() or out[-1] in "_}") and (p[0].isalnum() or p[0] in "_{"):
            out += " "
        out += p
    return out


def _params(plist: Node, imports: dict[str, str], package: str, tparams: frozenset[str]) -> tuple[Param, ...]:
    out: list[Param] = []
    for decl in plist.named_children:
        if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        tnode = decl.child_by_field_name("type")
        variadic = decl.type == "variadic_parameter_declaration"
        typ = _collapse(_text(tnode))
        canon = canonical_type(tnode, imports, package, tparams)
        names = decl.children_by_field_name("name")
        # A name goes before the type, or before the `...` of a variadic one.
        name_at = next((c.start_byte for c in decl.children if c.type == "..."), tnode.start_byte)
        if not names:
            out.append(Param(None, typ, canon, variadic, None, name_at))
        for n in names:
            out.append(Param(_text(n), typ, canon, variadic, (n.start_byte, n.end_byte), name_at))
    return tuple(out)


def _type_params(node: Node) -> frozenset[str]:
    names: set[str] = set()
    tp = node.child_by_field_name("type_parameters")
    if tp is not None:
        for decl in tp.named_children:
            for n in decl.children_by_field_name("name"):
                names.add(_text(n))
    return frozenset(names)


def _receiver(plist: Node) -> tuple[str | None, bool, Node | None]:
    decl = next((c for c in plist.named_children if c.type == "parameter_declaration"), None)
    if decl is None:
        return None, False, None
    t = decl.child_by_field_name("type")
    pointer = False
    if t.type == "pointer_type":
        pointer = True
        t = t.named_children[0]
    if t.type == "generic_type":
        t = t.child_by_field_name("type")
    return _text(t), pointer, decl


def _receiver_type_params(decl: Node | None) -> frozenset[str]:
    # `func (s *T[K, V]) M()` binds K and V inside the method.
    if decl is None:
        return frozenset()
    names: set[str] = set()
    stack = [decl.child_by_field_name("type")]
    while stack:
        n = stack.pop()
        if n.type == "type_arguments":
            for e in n.named_children:
                names.update(_text(i) for i in e.named_children if i.type == "type_identifier")
        stack.extend(n.named_children)
    return frozenset(names)


def parse(source: bytes, package_path: str, names: ImportNames = GUESSED) -> GoFile:
    """Read one Go file. `package_path` is its package's import path; `names`
    what its unaliased imports are called (the build's, or guessed)."""
    tree = _parser().parse(source)
    root = tree.root_node
    pkg = ""
    imports: dict[str, str] = {}
    funcs: list[FuncDecl] = []
    for node in root.named_children:
        if node.type == "package_clause":
            pkg = _text(node.named_children[0])
        elif node.type == "import_declaration":
            for spec in _import_specs(node):
                path_node = spec.child_by_field_name("path")
                path = _text(path_node).strip('"`')
                name_node = spec.child_by_field_name("name")
                local = _text(name_node) if name_node is not None else names.of(path)
                if local not in ("_", "."):
                    imports[local] = path
    for node in root.named_children:
        if node.type in ("function_declaration", "method_declaration"):
            funcs.append(_func(node, imports, package_path))
    return GoFile(pkg, imports, tuple(funcs), root.has_error)


# Go ends a statement at a newline after one of these (the spec's automatic
# semicolons), besides identifiers and literals (named leaves).
_ENDS_STATEMENT = frozenset({"break", "continue", "fallthrough", "return", "++", "--", ")", "]", "}"})
# Tokens tree-sitter-go gives children (quotes, escapes): one token each.
_ATOMIC = frozenset({"interpreted_string_literal", "raw_string_literal", "rune_literal"})
# Statements are read inside a function body, as Go reads them there.
_BODY_OPEN = b"package p\nfunc _() {\n"


def _tokens(node: Node, start: int, end: int) -> list[Node]:
    """The tokens (comments included) of `node` within [start, end), in order."""
    if node.end_byte <= start or node.start_byte >= end or node.start_byte == node.end_byte:
        return []
    if node.child_count == 0 or node.type in _ATOMIC:
        return [node]
    return [t for c in node.children for t in _tokens(c, start, end)]


def _ends_statement(token: Node) -> bool:
    return token.type in _ENDS_STATEMENT or (token.is_named and token.type != "comment")


def one_line(code: str, file: str, line: int, col: int) -> str:
    """Go statements written over several lines (at `file:line:col`), on one
    line with the same meaning: a newline Go would end a statement at becomes
    `;`, comments between lines go, and each line's text starts with a
    `/*line*/` directive to its own position, so compile errors still name
    it. Columns are characters, as the rule parser counts them."""
    source = _BODY_OPEN + code.encode()
    start = len(_BODY_OPEN)
    lines = code.encode().split(b"\n")
    root = _parser().parse(source + b"\n}\n").root_node
    out: list[str] = []
    prev: Node | None = None
    for token in _tokens(root, start, len(source)):
        if token.type == "comment":
            continue  # a `//` one would swallow the rest of the joined line
        row, byte_col = token.start_point[0] - 2, token.start_point[1]
        if prev is not None and row == prev.end_point[0] - 2:
            out.append(source[prev.end_byte : token.start_byte].decode())
        else:
            chars = len(lines[row][:byte_col].decode(errors="replace"))
            here = f"{line + row}:{(col if row == 0 else 1) + chars}"
            out.append(("; " if prev is not None and _ends_statement(prev) else " " if prev else "") + f"/*line {file}:{here}*/")
        out.append(token.text.decode())
        prev = token
    return "".join(out)


def header_end(source: bytes) -> int | None:
    """Where the part of a Go file that `go list` reads ends: leading comments
    (build constraints, cgo preambles), the package clause and the imports.
    None when the file does not parse: then all of it must count."""
    root = _parser().parse(source).root_node
    if root.has_error:
        return None
    for node in root.children:
        if node.type not in ("comment", "package_clause", "import_declaration"):
            return node.start_byte
    return len(source)


def _import_specs(decl: Node) -> list[Node]:
    specs = []
    for c in decl.named_children:
        if c.type == "import_spec":
            specs.append(c)
        elif c.type == "import_spec_list":
            specs.extend(s for s in c.named_children if s.type == "import_spec")
    # Imports written with a version suffix (`.v3`) still name a package by their last element.
    return specs


def _func(node: Node, imports: dict[str, str], package: str) -> FuncDecl:
    recv_type, recv_pointer, recv_decl, recv = None, False, None, None
    recv_span = None
    tparams = _type_params(node)
    if node.type == "method_declaration":
        rnode = node.child_by_field_name("receiver")
        recv_type, recv_pointer, recv_decl = _receiver(rnode)
        tparams = tparams | _receiver_type_params(recv_decl)
        recv_span = (rnode.start_byte, rnode.end_byte)
        rparams = _params(rnode, imports, package, tparams)
        recv = rparams[0] if rparams else None
    plist = node.child_by_field_name("parameters")
    result = node.child_by_field_name("result")
    results: tuple[Param, ...] = ()
    if result is not None:
        if result.type == "parameter_list":
            results = _params(result, imports, package, tparams)
        else:
            canon = canonical_type(result, imports, package, tparams)
            results = (Param(None, _collapse(_text(result)), canon, False, None, result.start_byte),)
    body = node.child_by_field_name("body")
    return FuncDecl(
        name=_text(node.child_by_field_name("name")),
        recv_type=recv_type,
        recv_pointer=recv_pointer,
        recv=recv,
        params=_params(plist, imports, package, tparams),
        results=results,
        line=node.start_point[0] + 1,
        recv_span=recv_span,
        params_span=(plist.start_byte, plist.end_byte),
        results_span=(result.start_byte, result.end_byte) if result is not None else None,
        results_parenthesized=result is not None and result.type == "parameter_list",
        body_open=body.start_byte if body is not None else None,
    )


def render_type(canonical: str, package: str, alias_of: dict[str, str]) -> str:
    """Write a canonical type as Go inside `package`, naming other packages
    by `alias_of[import path]`. `any` is written `interface{}`: generated
    code must compile in modules whose go line predates Go 1.18."""
    out = []
    i = 0
    while i < len(canonical):
        if canonical[i] == "{":
            j = canonical.index("}", i)
            path = canonical[i + 1 : j]
            i = j + 2  # skip "}."
            if path != package:
                out.append(alias_of[path] + ".")
            continue
        out.append(canonical[i])
        i += 1
    return re.sub(r"\bany\b", "interface{}", "".join(out))


def packages_in(canonical: str) -> set[str]:
    """Import paths a canonical type mentions."""
    paths = set()
    i = canonical.find("{")
    while i >= 0:
        j = canonical.index("}", i)
        paths.add(canonical[i + 1 : j])
        i = canonical.find("{", j)
    return paths


def _struct_fields(source: bytes, type_name: str) -> Node | None:
    """The `{...}` field list of the top-level `type NAME struct {...}`."""
    for node in _parser().parse(source).root_node.named_children:
        if node.type != "type_declaration":
            continue
        for spec in node.named_children:
            body = spec.child_by_field_name("type")
            name = spec.child_by_field_name("name")
            named = spec.type == "type_spec" and name is not None and _text(name) == type_name
            if named and body is not None and body.type == "struct_type":
                return next((c for c in body.named_children if c.type == "field_declaration_list"), None)
    return None


def struct_close(source: bytes, type_name: str) -> int | None:
    """Offset of the closing `}` of the top-level `type NAME struct {...}`."""
    fields = _struct_fields(source, type_name)
    return fields.end_byte - 1 if fields is not None else None


def struct_append_point(source: bytes, type_name: str) -> tuple[int, bool] | None:
    """Where a field goes last in `type NAME struct {...}` (its closing `}`),
    and whether the last field needs a `;` before it: Go ends a field at a
    `;` or a newline, and a one-line `struct{ n int }` has neither."""
    fields = _struct_fields(source, type_name)
    if fields is None:
        return None
    close = fields.end_byte - 1
    last = next((c for c in reversed(fields.named_children) if c.type == "field_declaration"), None)
    if last is None:
        return close, False
    after = [c for c in fields.children if c.start_byte >= last.end_byte]
    # A comment with a newline in it counts as a newline, as in Go.
    ended = any(c.type == ";" for c in after) or b"\n" in source[last.end_byte : close]
    return close, not ended


_LIST_TYPES = frozenset({"slice_type", "array_type", "implicit_length_array_type", "map_type"})


def unkeyed_literals(source: bytes, type_name: str) -> list[int]:
    """The lines of composite literals of the package's own struct type
    `type_name` that list values without field names, `T{a, b}` (also with
    the type elided in a slice, array or map of T or *T: `[]T{{a, b}}`). A
    field added to T leaves them too few values: they do not compile."""
    if type_name.encode() not in source:  # cheap test before parsing
        return []
    lines: set[int] = set()
    stack = [_parser().parse(source).root_node]
    while stack:
        n = stack.pop()
        if n.type == "composite_literal":
            for value in _values_of(n, type_name):
                if any(c.type == "literal_element" for c in value.named_children):
                    lines.add(value.start_point[0] + 1)
        stack.extend(n.named_children)
    return sorted(lines)


def _names_type(node: Node | None, type_name: str) -> bool:
    if node is not None and node.type == "generic_type":
        node = node.child_by_field_name("type")
    return node is not None and node.type == "type_identifier" and _text(node) == type_name


def _values_of(literal: Node, type_name: str) -> list[Node]:
    """The `{...}` values of `literal` that build a `type_name`: its own, or
    its elements' where its type is a list or map of them."""
    typ, body = literal.child_by_field_name("type"), literal.child_by_field_name("body")
    if body is None or typ is None:
        return []
    if _names_type(typ, type_name):
        return [body]
    if typ.type not in _LIST_TYPES:
        return []
    elem = typ.child_by_field_name("element" if typ.type != "map_type" else "value")
    if elem is not None and elem.type == "pointer_type":
        elem = elem.named_children[0] if elem.named_children else None
    if not _names_type(elem, type_name):
        return []
    elements = [c if c.type == "literal_element" else c.child_by_field_name("value") for c in body.named_children]
    inner = [e.named_children[0] for e in elements if e is not None and e.named_child_count]
    return [v for v in inner if v.type == "literal_value"]


def return_values(source: bytes, decl: FuncDecl) -> list[tuple[int, int] | None]:
    """The byte range of what each of the function's own `return` statements
    returns (None for a bare `return`), leaving out those of function literals."""
    assert decl.body_open is not None
    node = _parser().parse(source).root_node.descendant_for_byte_range(decl.body_open, decl.body_open + 1)
    while node is not None and node.type != "block":
        node = node.parent
    spans: list[tuple[int, int] | None] = []

    def walk(n: Node) -> None:
        for c in n.named_children:
            if c.type == "func_literal":
                continue
            if c.type == "return_statement":
                values = c.named_children
                spans.append((values[0].start_byte, values[-1].end_byte) if values else None)
            walk(c)

    if node is not None:
        walk(node)
    return spans


def call_sites(source: bytes, local: str, name: str) -> list[tuple[int, int]]:
    """Byte ranges of the callee `local.name` in each call `local.name(...)`."""
    if f"{local}.{name}".encode() not in source:  # cheap test before parsing
        return []
    spans: list[tuple[int, int]] = []
    stack = [_parser().parse(source).root_node]
    while stack:
        n = stack.pop()
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            if fn is not None and fn.type == "selector_expression":
                operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
                if operand.type == "identifier" and _text(operand) == local and _text(field) == name:
                    spans.append((fn.start_byte, fn.end_byte))
        stack.extend(n.named_children)
    return sorted(spans)


def struct_file(directory: str, files: tuple[str, ...], type_name: str) -> str | None:
    """Which of `files` declares the struct type `type_name`."""
    for name in sorted(files):
        with open(os.path.join(directory, name), "rb") as f:
            source = f.read()
        if f"{type_name} struct".encode() in source and struct_close(source, type_name) is not None:
            return name
    return None
