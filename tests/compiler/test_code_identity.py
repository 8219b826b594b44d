"""Go's cache of instrumented packages follows rulec's own code: the files
that decide what the compiler is handed are found by their imports, never
listed by hand, and changing one recompiles the advised packages only."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from support.gomod import ROOT, RULEC, write_module

from rulec.compiler import code_identity

MAIN = """package main

import (
	"fmt"
	"net/http"
	"strconv"
)

func main() {
	fmt.Println(strconv.Itoa(http.StatusOK))
}
"""


def test_the_closure_holds_what_runs_at_compile_time_and_not_the_command_line() -> None:
    files = {str(p.relative_to(ROOT)) for p in code_identity.closure()}
    # compile.py and gcflags.py run inside every planned compile: once left out of a hand-kept list.
    assert {"compiler/gocommand/compile.py", "compiler/gocommand/gcflags.py"} <= files
    assert {"compiler/rewrite/rewriter.py", "compiler/gosource.py"} <= files
    assert {"compiler/trampoline.py", "compiler/goroutine_context.py", "compiler/plan.py"} <= files
    assert not any(f.startswith("view/") or f == "rulec/cli.py" for f in files)


def _compiled(proc: subprocess.CompletedProcess[str]) -> set[str]:
    """The packages `go build -x` compiled (missed in Go's cache)."""
    found = set()
    for line in proc.stderr.splitlines():
        words = line.split()
        if "-p" in words and any(w.endswith("/compile") for w in words):
            found.add(words[words.index("-p") + 1])
    return found


@pytest.mark.e2e
def test_a_change_to_the_rewriting_code_recompiles_the_advised_packages_only(tmp_path: Path) -> None:
    code = tmp_path / "rulec"
    code.mkdir()
    for name in ("compiler", "ruledsl"):  # the code to edit, copied
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("rulec", "rules", "runtime-go", "view"):
        (code / name).symlink_to(ROOT / name)
    module = write_module(tmp_path / "app", "example.com/identity", {"main.go": MAIN})
    env = {**os.environ, "PYTHONPATH": str(code)}

    def build() -> set[str]:
        proc = subprocess.run([*RULEC, "build", "-x", "-o", str(tmp_path / "app.bin"), "."], cwd=module, env=env,
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return _compiled(proc)

    build()
    assert not build() & {"main", "net/http"}  # unchanged code: all cached
    with (code / "compiler" / "gocommand" / "gcflags.py").open("a") as f:
        f.write(f"\n# {secrets.token_hex(8)}\n")  # a new text each run, so Go's cache cannot know it
    again = build()
    assert {"main", "net/http"} <= again  # advised: recompiled
    assert "strconv" not in again and "fmt" not in again  # not advised: still cached
