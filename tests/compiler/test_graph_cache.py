"""The part of a Go file that decides the package graph, and its signature."""

from __future__ import annotations

from pathlib import Path

from compiler.build.graph_cache import go_header, import_signature

HEADER = (
    "//go:build linux\n\n/* doc ) */\npackage main // the command\n\n"
    'import "fmt"\n'
    'import (\n\t"os" // comment\n\tx "a/b)" /* ) */\n\t`raw/path`\n)\n\n'
    '// #include <stdio.h>\nimport "C"\n\n'
)


def test_header_ends_before_the_first_declaration() -> None:
    assert go_header(HEADER + "func main() {\n\timport_ := 1\n}\n") == HEADER
    assert go_header("package a\n\nvar importer = 1\n") == "package a\n\n"
    assert go_header("package a\nimporter := 1\n") == "package a\n"


def test_text_that_is_not_go_counts_whole() -> None:
    assert go_header("not go at all") == "not go at all"


def test_signature_follows_imports_and_names_not_bodies(tmp_path: Path) -> None:
    (tmp_path / "testdata").mkdir()
    main = tmp_path / "main.go"
    main.write_text(HEADER + "func main() {}\n")
    before = import_signature([tmp_path])
    main.write_text(HEADER + "func main() { println(1) }\n\nfunc more() {}\n")
    (tmp_path / "testdata" / "x.go").write_text("package x\n")
    assert import_signature([tmp_path]) == before
    main.write_text(HEADER.replace('"os"', '"io"') + "func main() {}\n")
    assert import_signature([tmp_path]) != before
    main.write_text(HEADER + "func main() {}\n")
    (tmp_path / "other.go").write_text("package main\n")
    assert import_signature([tmp_path]) != before
