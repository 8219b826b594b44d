"""The compiled toolexec shim: built once into rulec's cache, it runs a tool
call itself unless toolexec.py would change it, and rulec falls back to the
Python entry where it cannot be built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rulec.compiler.gocommand import shim
from rulec.compiler.paths import MODINFO_FILE, PLAN_DIR_ENV, package_file

PLANNED = "example.com/app/planned"


@pytest.fixture(scope="module")
def goenv() -> dict[str, str]:
    out = subprocess.run(["go", "env", "-json", "GOROOT", "GOVERSION", "GOHOSTOS", "GOHOSTARCH"], capture_output=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def shim_argv(tmp_path_factory: pytest.TempPathFactory, goenv: dict[str, str]) -> list[str]:
    return shim.toolexec_argv(tmp_path_factory.mktemp("cache"), goenv, dict(os.environ))


def _script(path: Path, word: str) -> Path:
    path.write_text(f'#!/bin/sh\necho {word} "$(basename "$0")" "$@"\n')
    path.chmod(0o755)
    return path


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """Stand-ins for the Go tools, each printing how it was run."""
    d = tmp_path / "tools"
    d.mkdir()
    for name in ("compile", "vet", "link", "cover", "asm"):
        _script(d / name, "tool")
    return d


def _run(shim_argv: list[str], python: Path, tool: Path, args: list[str], plan: Path, package: str) -> str:
    argv = [shim_argv[0], str(python), shim_argv[2], str(tool), *args]
    env = {**os.environ, PLAN_DIR_ENV: str(plan), "TOOLEXEC_IMPORTPATH": package}
    return subprocess.run(argv, capture_output=True, text=True, check=True, env=env).stdout.split()[0]


def test_the_driver_gets_the_shim_then_python_then_the_entry(shim_argv: list[str]) -> None:
    assert Path(shim_argv[0]).name == "rulec-toolexec" and os.access(shim_argv[0], os.X_OK)
    assert shim_argv[1:] == [sys.executable, str(shim.ENTRY)]


def test_only_calls_toolexec_py_changes_start_python(shim_argv: list[str], tools: Path, tmp_path: Path) -> None:
    python = _script(tmp_path / "python", "python")
    plan = tmp_path / "plan"
    Path(package_file(str(plan), PLANNED)).parent.mkdir(parents=True)
    Path(package_file(str(plan), PLANNED)).write_text("{}")
    cases = [
        ("compile", ["-o", "x.a", "x.go"], "example.com/app/other", "tool"),
        ("compile", ["-o", "x.a", "x.go"], PLANNED, "python"),
        ("compile", ["-o", "x.a", "x.go"], PLANNED + " [example.com/app/planned.test]", "python"),
        ("compile", ["-V=full"], PLANNED, "tool"),
        ("vet", ["vet.cfg"], PLANNED, "python"),
        ("vet", ["vet.cfg"], "example.com/app/other", "tool"),
        ("asm", ["-o", "x.o", "x.s"], PLANNED, "tool"),
        ("cover", ["-mode=set", "x.go"], "example.com/app/other", "python"),
        ("link", ["-o", "a.out", "-importcfg", "cfg", "main.a"], "example.com/app", "tool"),
    ]
    for tool, args, package, want in cases:
        assert _run(shim_argv, python, tools / tool, args, plan, package) == want, (tool, args, package)
    (plan / MODINFO_FILE).write_text("[]")  # the plan edits the build info: the link goes to Python
    assert _run(shim_argv, python, tools / "link", ["-o", "a.out", "-importcfg", "cfg", "main.a"], plan, "example.com/app") == "python"


def test_without_a_go_command_the_python_entry_runs_every_call(tmp_path: Path, goenv: dict[str, str]) -> None:
    argv = shim.toolexec_argv(tmp_path, goenv, {"PATH": str(tmp_path / "empty")})
    assert argv == [sys.executable, "-S", str(shim.ENTRY)]
