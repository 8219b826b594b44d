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
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rulec.compiler.golist import Build
from rulec.compiler.plan import ModuleCopies

STATE_FILE = "state.pickle"
MODULE_FILES = ("go.mod", "go.sum", "go.work", "go.work.sum")


@dataclass
class GraphState:
    build: Build  # the final listing: the app's packages with the runtime's
    apps_own: set[str]  # the packages of the app's build before the runtime joined
    upgraded: list[str]
    copies: ModuleCopies | None
    links: dict[str, str] = field(default_factory=dict)  # the optional exporters linked, and why (compiler/exporters.py)
    link_notes: list[str] = field(default_factory=list)  # and why others that could be are not


def import_signature(dirs: list[Path], memo_file: Path | None = None) -> str:
    """The names and headers of the Go files under `dirs`, as the go command walks them.

    Headers are read with tree-sitter; `memo_file` keeps each file's header
    digest by modification time and size, so an edit re-reads only the files
    it touched."""
    memo = _load_memo(memo_file)
    seen: dict[str, tuple[tuple[int, int], str]] = {}
    h = hashlib.sha256()
    for root in dirs:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d not in ("testdata", "vendor"))
            for name in sorted(filenames):
                if name.endswith(".go"):
                    path = os.path.join(dirpath, name)
                    st = os.stat(path)
                    stamp = (st.st_mtime_ns, st.st_size)
                    known = memo.get(path)
                    digest = known[1] if known is not None and known[0] == stamp else _header_digest(path)
                    seen[path] = (stamp, digest)
                    h.update(f"{path}\0{digest}\0".encode())
    if memo_file is not None and seen != memo:
        _save_memo(memo_file, seen)
    return h.hexdigest()


def _header_digest(path: str) -> str:
    from rulec.compiler.gosource import header_end  # tree-sitter: only when a file changed

    with open(path, "rb") as f:
        source = f.read()
    end = header_end(source)
    return hashlib.sha256(source if end is None else source[:end]).hexdigest()


def _load_memo(memo_file: Path | None) -> dict[str, tuple[tuple[int, int], str]]:
    if memo_file is None:
        return {}
    try:
        memo = pickle.loads(memo_file.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return {}
    return memo if isinstance(memo, dict) else {}


def _save_memo(memo_file: Path, memo: dict[str, tuple[tuple[int, int], str]]) -> None:
    memo_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = memo_file.with_name(f"{memo_file.name}.{os.getpid()}")
    tmp.write_bytes(pickle.dumps(memo))
    os.replace(tmp, memo_file)  # concurrent builds: the last one's memo stands, any is right


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
