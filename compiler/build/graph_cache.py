"""The build's package graph, kept across edits that leave it as it was.

What `go list` says about a build (packages, their files, imports, modules)
depends on the module files and, of the main modules' Go files, only on
their names and headers: build constraints, package clause and imports (the
go command reads nothing past the imports). An edit inside a function body
changes none of that, so the next plan reuses the graph planned before —
rulec's go.mod copy with the runtime added, and the listed build — and only
resolves the rules again, against the edited files: no go command runs.

State layout, under rulec's cache, one directory per graph key:
  go.mod, go.sum (or go.work, go.work.sum)   rulec's module files for the build
  state.pickle                               GraphState
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from compiler.golist import Build
from compiler.plan import ModuleCopies

STATE_FILE = "state.pickle"
MODULE_FILES = ("go.mod", "go.sum", "go.work", "go.work.sum")


@dataclass
class GraphState:
    build: Build  # the final listing: the app's packages with the runtime's
    apps_own: set[str]  # the packages of the app's build before the runtime joined
    upgraded: list[str]
    copies: ModuleCopies | None


# Spaces and comments; one token of an import block (a space or comment, a
# string, the closing paren, or a run of anything else).
_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_IMPORT_TOKEN = re.compile(r"\s+|//[^\n]*|/\*.*?\*/|\"(?:[^\"\\\n]|\\.)*\"?|`[^`]*`?|\)|[^\s)\"`/]+|/", re.S)


def _skip_space_and_comments(text: str, i: int) -> int:
    return _SPACE.match(text, i).end()


def _skip_import_spec_list(text: str, i: int) -> int:
    """Past the `)` closing an import block opened just before i."""
    while m := _IMPORT_TOKEN.match(text, i):
        i = m.end()
        if m.group() == ")":
            return i
    return len(text)


def go_header(text: str) -> str:
    """The leading part of a Go file that `go list` reads: comments (build
    constraints, cgo preambles), the package clause and the imports."""
    n = len(text)
    i = _skip_space_and_comments(text, 0)
    if not text.startswith("package", i):
        return text  # not Go as the go command reads it: all of it counts
    j = text.find("\n", i)
    i = n if j < 0 else j + 1
    while True:
        i = _skip_space_and_comments(text, i)
        if not (text.startswith("import", i) and i + 6 < n and not (text[i + 6].isalnum() or text[i + 6] == "_")):
            return text[:i]
        i = _skip_space_and_comments(text, i + 6)
        if i < n and text[i] == "(":
            i = _skip_import_spec_list(text, i + 1)
        else:
            j = text.find("\n", i)
            i = n if j < 0 else j + 1


def import_signature(dirs: list[Path]) -> str:
    """The names and headers of the Go files under `dirs`, as the go command walks them."""
    h = hashlib.sha256()
    for root in dirs:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d not in ("testdata", "vendor"))
            for name in sorted(filenames):
                if name.endswith(".go"):
                    path = os.path.join(dirpath, name)
                    with open(path, encoding="utf-8", errors="surrogateescape") as f:
                        header = go_header(f.read())
                    h.update(f"{path}\0{len(header)}\0".encode() + header.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def load(state_dir: Path) -> GraphState | None:
    try:
        state = pickle.loads((state_dir / STATE_FILE).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # none yet, or one an older rulec wrote
    return state if isinstance(state, GraphState) else None


def restore(state_dir: Path, work_dir: Path) -> None:
    """Copy the saved module files into a new plan's work_dir."""
    for name in MODULE_FILES:
        if (state_dir / name).exists():
            shutil.copyfile(state_dir / name, work_dir / name)


def save(state_dir: Path, state: GraphState, work_dir: Path) -> None:
    """Keep `state` and work_dir's module files under state_dir (atomically)."""
    state_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=state_dir.name + ".", dir=state_dir.parent))
    try:
        restore(work_dir, tmp)
        (tmp / STATE_FILE).write_bytes(pickle.dumps(state))
        try:
            tmp.rename(state_dir)
        except OSError:  # another build saved the same graph first
            pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
