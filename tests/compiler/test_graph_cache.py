"""The part of a Go file that decides the package graph, and its signature."""

from __future__ import annotations

from pathlib import Path

from rulec.compiler.gocommand.graph_cache import import_signature
from rulec.compiler.gosource import header_end

HEADER = (
    "//go:build linux\n\n/* doc ) */\npackage main // the command\n\n"
    'import "fmt"\n'
    'import (\n\t"os" // comment\n\tx "a/b)" /* ) */\n\t`raw/path`\n)\n\n'
    '// #include <stdio.h>\nimport "C"\n\n'
)


def _header(text: str) -> str:
    source = text.encode()
    end = header_end(source)
    return text if end is None else source[:end].decode()


def test_header_ends_before_the_first_declaration() -> None:
    assert _header(HEADER + "func main() {\n\timport_ := 1\n}\n") == HEADER
    assert _header("package a\n\nvar importer = 1\n") == "package a\n\n"
    assert _header("package a\n\nimport \"os\"\n") == "package a\n\nimport \"os\"\n"


def test_text_that_does_not_parse_counts_whole() -> None:
    assert header_end(b"not go at all") is None
    # tree-sitter reads a top-level statement as one: the header still ends there.
    assert _header("package a\nimporter := 1\n") == "package a\n"


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


def test_a_memo_reads_again_only_what_changed(tmp_path: Path) -> None:
    src, memo = tmp_path / "src", tmp_path / "memo.pickle"
    src.mkdir()
    main = src / "main.go"
    main.write_text(HEADER + "func main() {}\n")
    plain = import_signature([src])
    assert import_signature([src], memo) == plain and memo.exists()
    assert import_signature([src], memo) == plain  # from the memo
    main.write_text(HEADER.replace('"os"', '"io"') + "func main() {}\n")
    assert import_signature([src], memo) == import_signature([src]) != plain
