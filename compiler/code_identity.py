"""The identity of rulec's code that decides what the Go compiler is handed.

A planned package's compile is cached by Go under an identity that includes
this digest (through its plan), so a change to any file that rewrites or
generates Go source must change it. The files are not listed by hand: they
are the import closure, within rulec's own packages, of the modules that do
that work, plus the parser library they use.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# rulec's own stages that the roots may reach, each a folder of PROJECT;
# imports of anything else are libraries.
_OWN = ("rulec.compiler", "rulec.ruledsl")
# What runs while the go command compiles (the rewrite) or writes what the compiler reads (generated files).
ROOTS = ("rulec.compiler.gocommand.compile", "rulec.compiler.trampoline", "rulec.compiler.goroutine_context")
# Libraries whose version changes how Go source is read.
_LIBRARIES = ("tree-sitter", "tree-sitter-go")


def _file_of(module: str) -> Path | None:
    """The source file of one of rulec's modules or packages, if it is one."""
    if not any(module == own or module.startswith(own + ".") for own in _OWN):
        return None
    base = PROJECT.joinpath(*module.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[str]:
    """The modules `path` imports: `import a.b`, and `from a import b` as
    both a and a.b (b may be a submodule)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def closure(roots: tuple[str, ...] = ROOTS) -> list[Path]:
    """Every file of rulec's the roots import, directly or not, with the
    packages' __init__ files on the way."""
    seen: set[Path] = set()
    stack = list(roots)
    while stack:
        module = stack.pop()
        parts = module.split(".")
        for i in range(1, len(parts) + 1):  # a.b.c runs a/__init__ and a/b/__init__ first
            path = _file_of(".".join(parts[:i]))
            if path and path not in seen:
                seen.add(path)
                stack.extend(_imports(path))
    return sorted(seen)


@cache
def digest() -> str:
    h = hashlib.sha256()
    for path in closure():
        h.update(str(path.relative_to(PROJECT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in _LIBRARIES:
        h.update(f"{lib}=={metadata.version(lib)}\0".encode())
    return h.hexdigest()[:16]
