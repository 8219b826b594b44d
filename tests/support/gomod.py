"""Copy Go modules to temp dirs, build them with rulec or go, snapshot trees."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RULEC = [sys.executable, "-m", "rulec"]


def write_module(root: Path, path: str, files: dict[str, str], extra_gomod: str = "") -> Path:
    """A Go module on disk: go.mod naming `path` (plus `extra_gomod`, e.g. a
    require) and `files`, each a path relative to `root` and its text."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(f"module {path}\n\ngo 1.23\n" + (f"\n{extra_gomod}" if extra_gomod else ""))
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def go_release() -> tuple[int, int]:
    """(major, minor) of the Go the tests build with (GOTOOLCHAIN included)."""
    version = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout
    major, minor = version.strip().removeprefix("go").split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()))


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


def build_app(parent: Path, path: str, files: dict[str, str], requires: list[str], plugins: tuple[str, ...] = ()) -> Path:
    """A Go module under `parent` requiring `requires` (module@version, as
    `go get` takes them), built by rulec with each of `plugins` applied;
    returns the binary."""
    root = write_module(parent / "app", path, files)
    fetch = [["get", *requires]] if requires else []  # the standard library alone: nothing to get
    for args in [*fetch, ["mod", "tidy"]]:
        proc = go(*args, cwd=root)
        assert proc.returncode == 0, proc.stderr
    proc = rulec("build", "-o", str(root / "app"), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    summary = next(line for line in proc.stderr.splitlines() if line.startswith("rulec: instrumented"))
    active = summary.split("(plugins: ", 1)[1].rstrip(")").split(", ")
    assert set(plugins) <= set(active), summary
    return root / "app"
