"""Text that already maps its lines with a `//line` header (the cover tool's
output under `go test -cover`) keeps that mapping when advice is added."""

from __future__ import annotations

from compiler.plan import FuncEdit, HookCall
from compiler.rewrite.rewriter import rewrite_file

EDITS = (FuncEdit(None, "main", (HookCall("lifecycle.main_return", after="__rulec_after"),)),)


def test_cover_output_keeps_its_header_and_positions() -> None:
    covered = b'//line /src/app/main.go:1:1\npackage main; import _ "runtime/coverage"\n\nfunc main() {goCover_0[0] = 1;\n\tprintln()\n}\n'
    out = rewrite_file(covered, EDITS, "example.com/app", "/work/b001/main.cover.go")
    lines = out.splitlines()
    assert lines[0] == b"//line /src/app/main.go:1:1"  # no second header
    assert len(lines) == len(covered.splitlines())
    # `func main() {` is line 3 of main.go; the column after its brace is 14.
    assert lines[3].startswith(b"func main() { defer __rulec_after(); /*line /src/app/main.go:3:14*/goCover_0[0] = 1;")


def test_plain_source_gets_a_header_naming_the_original() -> None:
    src = b"package main\n\nfunc main() {\n}\n"
    out = rewrite_file(src, EDITS, "example.com/app", "/src/app/main.go")
    assert out.splitlines()[0] == b"//line /src/app/main.go:1"
    assert out.splitlines()[3] == b"func main() { defer __rulec_after(); /*line /src/app/main.go:3:14*/"
