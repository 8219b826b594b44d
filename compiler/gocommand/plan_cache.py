"""rulec's cache of plans: where plans live, what keys them, how one is kept.

A plan is computed once per distinct input (rules, rulec's own code and
runtime, the Go environment, the command's flags, go.mod/go.sum and the main
modules' Go files) and kept under rulec's cache, so that an unchanged
rebuild goes straight to the go command. A second key, the package graph's,
covers the same inputs but only the Go files' names and import headers: a
change inside a function body re-resolves the rules over the saved graph
instead of listing packages again (graph_cache.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rulec.compiler.gocommand import graph_cache
from rulec.compiler.paths import RUNTIME_DIR
from rulec.compiler.plan import Summary

# rulec's own code that decides a plan: the compiler, the rule language, the runtime.
_CODE = Path(__file__).resolve().parent.parent.parent
_CODE_TREES = ((_CODE / "compiler", (".py",)), (_CODE / "ruledsl", (".py", ".tx")), (Path(RUNTIME_DIR), (".go", ".mod", ".sum")))


def cache_root() -> Path:
    if os.environ.get("RULEC_CACHE"):
        return Path(os.environ["RULEC_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rulec"


def _tree_digest(root: Path, suffixes: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in suffixes:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@cache
def code_digest() -> str:
    """A digest of rulec's code that decides a plan, the runtime included."""
    h = hashlib.sha256()
    for root, suffixes in _CODE_TREES:
        h.update(_tree_digest(root, suffixes).encode())
    return h.hexdigest()


def inputs_digest(parts: Iterable[str], files: Iterable[Path]) -> str:
    """A digest of everything a plan depends on but the main modules' Go
    files: rulec's code, then `parts` (the build's settings) and `files`
    (go.mod, go.sum and their kind: a missing file counts too)."""
    h = hashlib.sha256(code_digest().encode())
    for part in parts:
        h.update(part.encode())
    for f in files:
        h.update(f.read_bytes() if f.exists() else b"-")
    return h.hexdigest()


def _source_signature(module_root: Path) -> str:
    """What the main module's Go files look like, cheaply (names, sizes, mtimes)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(module_root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d not in ("testdata", "vendor"))
        for name in sorted(filenames):
            if name.endswith(".go"):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def local_replacements(modfile: str, root: Path) -> list[Path]:
    """Directories that go.mod's `replace` directives point at."""
    if not os.path.exists(modfile):
        return []
    text = Path(modfile).read_text()
    if "replace" not in text:  # the common case costs no go command
        return []
    proc = subprocess.run(["go", "mod", "edit", "-json", modfile], capture_output=True, text=True)
    if proc.returncode != 0:
        return []  # the build itself will report the broken go.mod
    dirs = []
    for r in json.loads(proc.stdout).get("Replace") or []:
        new = r["New"]
        if not new.get("Version"):  # a directory, not a module version
            d = (root / new["Path"]).resolve()
            if d.is_dir():
                dirs.append(d)
    return dirs


def plan_dir(inputs: str, source_dirs: list[Path]) -> Path:
    """Where the plan for these inputs and the Go files as they are (cheaply) lives."""
    h = hashlib.sha256(inputs.encode())
    for d in source_dirs:
        h.update(_source_signature(d).encode())
    return cache_root() / "plans" / h.hexdigest()[:24]


def graph_dir(inputs: str, source_dirs: list[Path]) -> Path:
    """Where the package graph for these inputs lives: keyed like the plan,
    but by the Go files' names and headers only."""
    where = hashlib.sha256("\0".join(map(str, source_dirs)).encode()).hexdigest()[:16]
    signature = graph_cache.import_signature(source_dirs, cache_root() / "graphs" / f"headers-{where}.pickle")
    return cache_root() / "graphs" / hashlib.sha256(f"{inputs}\0{signature}".encode()).hexdigest()[:24]


def cached_summary(plan: Path) -> Summary | None:
    summary = plan / "summary.json"
    return Summary.from_json(summary.read_text()) if summary.exists() else None


def publish(tmp: Path, plan: Path) -> None:
    """Move a finished plan into place; another build may have done so first."""
    try:
        tmp.rename(plan)
    except OSError:
        discard(tmp)


def discard(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
