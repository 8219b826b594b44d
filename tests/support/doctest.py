"""Documents run as tests: the files they show are written (or compared with
the repository's), the commands they show are run, their output checked.

`<!-- file: PATH -->` before a code block names a file the block shows;
`<!-- run -->` (or `<!-- run: fails -->`, whose last command must fail)
before a console block marks its `$ ` lines as commands, each followed by
output lines that must appear. An output line that is JSON (a span from the
console exporter) matches a line with the same values for the keys it
shows; any other line must appear as it is, `…` matching any text.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

_BLOCK = re.compile(r"<!-- (file: (?P<path>\S+)|run(?P<fails>: fails)?) -->\n```[a-z]*\n(?P<body>.*?)\n```", re.DOTALL)


def steps(text: str) -> list[tuple[str, str, str]]:
    """("file", path, text) and ("run" | "fails", "", console text), in document order."""
    out = []
    for m in _BLOCK.finditer(text):
        if m["path"]:
            out.append(("file", m["path"], m["body"] + "\n"))
        else:
            out.append(("fails" if m["fails"] else "run", "", m["body"]))
    return out


def commands(console: str) -> list[tuple[str, list[str]]]:
    """Each `$ ` command of a console block with the output lines shown under it."""
    out: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif line.strip():
            out[-1][1].append(line)
    return out


def shown(expected: str, actual: list[str], used: set[int]) -> bool:
    """Whether an output line the document shows is among `actual` (JSON
    lines are matched once each: `used` holds those taken)."""
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


def run_block(kind: str, body: str, cwd: Path, env: dict[str, str]) -> None:
    """Run a console block's commands in order; each must succeed (the last
    of a `fails` block must fail) and print the lines shown under it."""
    listed = commands(body)
    for i, (command, expected) in enumerate(listed):
        proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
        actual = [line.rstrip() for line in (proc.stdout + proc.stderr).splitlines()]
        must_fail = kind == "fails" and i == len(listed) - 1
        assert (proc.returncode != 0) == must_fail, f"$ {command}\n{proc.stdout}{proc.stderr}"
        used: set[int] = set()
        missing = [line for line in expected if not shown(line, actual, used)]
        assert not missing, f"$ {command}\nnot in its output: {missing}\noutput:\n" + "\n".join(actual)


def rulec_on_path(bin_dir: Path, checkout: Path) -> dict[str, str]:
    """An environment with `rulec` on PATH, as a reader has it, running `checkout`."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    shim = bin_dir / "rulec"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m rulec "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(checkout)}
