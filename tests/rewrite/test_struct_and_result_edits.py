"""The rewriter's edits beyond hooks: fields appended to a struct type,
statements run first in a function, and a filter on a function's result.
(The goroutine-context bridge applies all three to the runtime package.)
The output is built and run for real, and keeps every line in place."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from rulec.compiler.plan import FieldEdit, FuncEdit
from rulec.compiler.rewrite.rewriter import RewriteError, rewrite_file

SOURCE = b"""package main

import "fmt"

type node struct {
	id int
}

func spawn(parent *node, id int) *node {
	n := &node{id: id}
	if id < 0 {
		return nil
	}
	f := func() *node { return n } // a literal's return is not the function's
	return f()
}

func destroy(n *node) {
	fmt.Println("destroyed", n.id, n.tag)
}

func main() {
	root := &node{id: 1, tag: "request-42"}
	child := spawn(root, 2)
	fmt.Println(child.id, child.tag, spawn(root, -1) == nil)
	destroy(child)
}
"""

HELPERS = """package main

func inherit(n *node, parent *node, id int) *node {
	if n != nil {
		n.tag = parent.tag
	}
	return n
}
"""

EDITS = (
    FuncEdit(None, "spawn", result_filter="inherit"),
    FuncEdit(None, "destroy", prologue=('n.tag = ""',)),
)
FIELDS = (FieldEdit("node", "tag string"),)


def test_fields_prologue_and_result_filter_build_and_run(tmp_path: Path) -> None:
    out = rewrite_file(SOURCE, EDITS, "example.com/m", "main.go", FIELDS)
    assert out.split(b"\n")[1:] and len(out.split(b"\n")) == len(SOURCE.split(b"\n")) + 1
    lines = out.decode().split("\n")[1:]
    assert lines[6] == "tag string; }"
    assert lines[11] == "\t\treturn inherit(nil, parent, id)"
    assert lines[13] == "\tf := func() *node { return n } // a literal's return is not the function's"
    assert lines[14] == "\treturn inherit(f(), parent, id)"
    assert lines[17].startswith('func destroy(n *node) { n.tag = "";')
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.23\n")
    (tmp_path / "main.go").write_bytes(out)
    (tmp_path / "helpers.go").write_text(HELPERS)
    env = {**os.environ, "GOFLAGS": "-buildvcs=false", "GOWORK": "off"}
    proc = subprocess.run(["go", "run", "."], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["2 request-42 true", "destroyed 2 "]


@pytest.mark.parametrize(
    ("source", "edits", "fields", "message"),
    [
        (b"package p\n\nfunc f() (n int) {\n\treturn\n}\n", (FuncEdit(None, "f", result_filter="g"),), (), "bare return"),
        (b"package p\n\nfunc f() (int, int) {\n\treturn 1, 2\n}\n", (FuncEdit(None, "f", result_filter="g"),), (), "one result"),
        (b"package p\n\ntype t int\n", (), (FieldEdit("t", "x int"),), "no struct type t"),
    ],
)
def test_edits_that_cannot_apply_say_why(source: bytes, edits: tuple, fields: tuple, message: str) -> None:
    with pytest.raises(RewriteError, match=message):
        rewrite_file(source, edits, "example.com/p", "p.go", fields)


@pytest.mark.parametrize(
    ("decl", "want"),
    [
        (b"type t struct{ n int }", b"type t struct{ n int ; x int; }"),
        (b"type t struct{ n int; }", b"type t struct{ n int; x int; }"),
        (b"type t struct{ n int /* c */ }", b"type t struct{ n int /* c */ ; x int; }"),
        (b"type t struct{}", b"type t struct{x int; }"),
        (b"type t struct {\n\tn int // c\n}", b"type t struct {\n\tn int // c\nx int; }"),
    ],
)
def test_a_field_ends_the_last_one_first(decl: bytes, want: bytes) -> None:
    # Go ends a field at `;` or a newline; a one-line struct has neither.
    out = rewrite_file(b"package p\n\n" + decl + b"\n", (), "example.com/p", "p.go", (FieldEdit("t", "x int"),))
    assert out.split(b"\n", 3)[3].rstrip(b"\n") == want
    proc = subprocess.run(["gofmt", "-e"], input=out, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
