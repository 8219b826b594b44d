"""A first build's word on the terminal (compiler/gocommand/progress.py):
what it compiles and how far it is, on a terminal only, once.

"First" is faked by a fresh rulec cache: its marker is what rulec reads.
Go's own cache is the machine's, so that the test takes seconds, not the
minutes a real first build compiles the runtime in; a package of unique
text makes sure that some compiles happen, and are counted."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import time
from pathlib import Path

import pytest
from support.gomod import ROOT, RULEC, rulec, write_module

pytestmark = pytest.mark.e2e

_FIRST = "rulec: first build for this Go and rulec: compiling the telemetry runtime"


def _on_a_terminal(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """rulec run with a pseudo-terminal as its stdin, stdout and stderr."""
    leader, follower = pty.openpty()
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    proc = subprocess.Popen([*RULEC, *args], cwd=cwd, env=full_env, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: every holder of the terminal has closed it
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return proc.wait(timeout=600), out.decode()


@pytest.fixture
def app(tmp_path: Path) -> Path:
    unique = f"{time.time_ns()}-{os.getpid()}"
    files = {
        "main.go": 'package main\n\nimport "example.com/first/a"\n\nfunc main() { println(a.S) }\n',
        "a/a.go": f'package a\n\nconst S = "{unique}"\n',
    }
    return write_module(tmp_path / "app", "example.com/first", files)


def test_first_build_says_what_it_compiles_and_counts_it_once(app: Path, tmp_path: Path) -> None:
    env = {"RULEC_CACHE": str(tmp_path / "rulec-cache")}
    code, out = _on_a_terminal("build", "-o", str(tmp_path / "bin"), ".", cwd=app, env=env)
    assert code == 0, out
    lines = out.split("\r\n")
    assert lines[0].startswith(_FIRST) and lines[0].endswith("a few minutes, once")
    # Progress rewrites one line in place ("rulec: 2 packages compiled of at
    # most 233", if the build lasts long enough to be looked at), then the count.
    done = re.fullmatch(r".*\r\x1b\[Krulec: first build: (\d+) packages compiled in \d+ s", lines[1])
    assert done and int(done.group(1)) >= 2, lines[1]  # at least example.com/first/a and main
    assert lines[2].startswith("rulec: instrumented ")

    code, again = _on_a_terminal("build", "-o", str(tmp_path / "bin"), ".", cwd=app, env=env)
    assert code == 0, again
    assert "first build" not in again and "\x1b" not in again
    assert again.split("\r\n")[0].startswith("rulec: instrumented ")


def test_no_word_without_a_terminal_or_with_q(app: Path, tmp_path: Path) -> None:
    proc = rulec("build", "-o", str(tmp_path / "bin"), ".", cwd=app, env={"RULEC_CACHE": str(tmp_path / "cache-1")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("rulec: instrumented ") and "first build" not in proc.stderr and "\r" not in proc.stderr
    env = {"RULEC_CACHE": str(tmp_path / "cache-2")}
    code, out = _on_a_terminal("build", "-q", "-o", str(tmp_path / "bin"), ".", cwd=app, env=env)
    assert code == 0, out
    assert out.startswith("rulec: instrumented ") and "first build" not in out and "\x1b" not in out
