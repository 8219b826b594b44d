"""docs/writing-rules.md, run: every file it shows is written, every command
it shows is run in order, and every output line it shows must appear.

`<!-- file: PATH -->` before a code block writes the block to PATH (replacing
what was there); `<!-- run -->` (or `<!-- run: fails -->`, whose last command
must fail) before a console block runs its `$ ` lines. An output line that is
JSON (a span from the console exporter) matches a span line with the same
values for the keys it shows; any other line must appear as it is, `…`
matching any text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.gomod import ROOT

pytestmark = pytest.mark.e2e

DOC = ROOT / "docs" / "writing-rules.md"
_BLOCK = re.compile(r"<!-- (file: (?P<path>\S+)|run(?P<fails>: fails)?) -->\n```[a-z]*\n(?P<body>.*?)\n```", re.DOTALL)


def _steps(text: str) -> list[tuple[str, str, str]]:
    """("file", path, text) and ("run" | "fails", "", console text), in document order."""
    out = []
    for m in _BLOCK.finditer(text):
        if m["path"]:
            out.append(("file", m["path"], m["body"] + "\n"))
        else:
            out.append(("fails" if m["fails"] else "run", "", m["body"]))
    return out


def _commands(console: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif line.strip():
            commands[-1][1].append(line)
    return commands


def _shown(expected: str, actual: list[str], used: set[int]) -> bool:
    if not expected.startswith("{"):
        # `…` stands for text that changes as rulec grows (counts of built-in rules).
        pattern = re.compile(".*?".join(re.escape(part) for part in expected.split("…")))
        return any(pattern.fullmatch(line) for line in actual)
    want = json.loads(expected)
    for i, line in enumerate(actual):
        if i in used or not line.startswith("{"):
            continue
        try:
            got = json.loads(line)
        except ValueError:
            continue
        if all(got.get(k) == v for k, v in want.items()):
            used.add(i)
            return True
    return False


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    # `rulec` on PATH, as the tutorial's reader has it, running this checkout.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "rulec"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m rulec "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}


def test_every_step_of_the_tutorial(tmp_path: Path, shell_env: dict[str, str]) -> None:
    work = tmp_path / "shop"
    work.mkdir()
    steps = _steps(DOC.read_text())
    assert len([s for s in steps if s[0] != "file"]) >= 10, "the tutorial's run blocks were not found"
    for kind, path, body in steps:
        if kind == "file":
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(body)
            continue
        commands = _commands(body)
        for i, (command, expected) in enumerate(commands):
            proc = subprocess.run(["bash", "-c", command], cwd=work, env=shell_env, capture_output=True, text=True, timeout=900)
            actual = [line.rstrip() for line in (proc.stdout + proc.stderr).splitlines()]
            must_fail = kind == "fails" and i == len(commands) - 1
            assert (proc.returncode != 0) == must_fail, f"$ {command}\n{proc.stdout}{proc.stderr}"
            used: set[int] = set()
            missing = [line for line in expected if not _shown(line, actual, used)]
            assert not missing, f"$ {command}\nnot in its output: {missing}\noutput:\n" + "\n".join(actual)
