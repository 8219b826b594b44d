"""`at entry` statements written over several lines go on the line of the
function's brace: Go's automatic semicolons kept, comments dropped, and each
line's text positioned at its own line and column of the rule."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from rulec.compiler.gosource import one_line
from rulec.compiler.plan import FuncEdit, HookCall
from rulec.compiler.rewrite.rewriter import rewrite_file


def _at(line: int, col: int) -> str:
    return f"/*line r.gorule:{line}:{col}*/"


@pytest.mark.parametrize(
    ("code", "want"),
    [
        ("x++", f"{_at(5, 10)}x++"),
        ("  x++", f"{_at(5, 12)}x++"),
        ("if x {\n\ty = 1\n}", f"{_at(5, 10)}if x {{ {_at(6, 2)}y = 1; {_at(7, 1)}}}"),
        ("f(a,\n  b)\ng()", f"{_at(5, 10)}f(a, {_at(6, 3)}b); {_at(7, 1)}g()"),
        ("x := 1 // one\ny := x", f"{_at(5, 10)}x := 1; {_at(6, 1)}y := x"),
        ('s := "a // b"\nr := \'}\'', f'{_at(5, 10)}s := "a // b"; {_at(6, 1)}r := \'}}\''),
        ("x = a /* c */ + b", f"{_at(5, 10)}x = a /* c */ + b"),
        ("f() /* a\nb */ g()", f"{_at(5, 10)}f(); {_at(6, 6)}g()"),
        ("for {\nbreak\n}", f"{_at(5, 10)}for {{ {_at(6, 1)}break; {_at(7, 1)}}}"),
        ("x = a +\nb", f"{_at(5, 10)}x = a + {_at(6, 1)}b"),
        ("x = \"é\"; y := 1\n\té := 2", f'{_at(5, 10)}x = "é"; y := 1; {_at(6, 2)}é := 2'),
    ],
)
def test_statements_go_on_one_line(code: str, want: str) -> None:
    assert one_line(code, "r.gorule", 5, 10) == want


SOURCE = b"""package main

func f(n int) int {
	return n
}

func main() { println(f(1)) }
"""


def test_compile_errors_name_the_rules_line(tmp_path: Path) -> None:
    rule = str(tmp_path / "r.gorule")
    entry = ("if n < 0 {\n        n = nope\n    }", f"{rule}:10:15")
    out = rewrite_file(SOURCE, (FuncEdit(None, "f", (HookCall("p.r", entry=entry),)),), "example.com/m", "main.go")
    assert len(out.split(b"\n")) == len(SOURCE.split(b"\n")) + 1
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.23\n")
    (tmp_path / "main.go").write_bytes(out)
    env = {**os.environ, "GOFLAGS": "-buildvcs=false", "GOWORK": "off"}
    proc = subprocess.run(["go", "build", "-o", os.devnull, "."], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode != 0
    assert "r.gorule:11:13: undefined: nope" in proc.stderr, proc.stderr
