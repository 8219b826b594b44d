"""Copy Go modules to temp dirs, build them with rulec or go, snapshot trees."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RULEC = [sys.executable, "-m", "compiler.cli"]


def copy_module(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def rulec(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([*RULEC, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)


def go(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def snapshot(tree: Path) -> dict[str, str]:
    """Every file under `tree` (path → sha256), plus every directory."""
    out: dict[str, str] = {}
    for dirpath, _, filenames in os.walk(tree):
        rel = os.path.relpath(dirpath, tree)
        out[rel + "/"] = "dir"
        for name in filenames:
            p = os.path.join(dirpath, name)
            out[os.path.join(rel, name)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
    return out
