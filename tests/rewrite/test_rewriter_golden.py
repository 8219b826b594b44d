"""Golden tests for compiler/rewrite/rewriter.py.

Each folder under tests/rewrite/cases/<case>/ holds:
  input.go             the Go file before rewriting
  edits.json           a list of FuncEdit (compiler/plan.py) as JSON
  expected.go.golden   the rewritten file, or
  expected.error       text the RewriteError message must contain
  hooks.go             the wrapper functions the edits call, with signatures that fit

Set RULEC_UPDATE_GOLDEN=1 to rewrite the expected.go.golden files from the
current rewriter output (then review the diff).

Beyond the byte comparison, every rewritten file must keep every line of the
input where it was, and must compile: all cases are put in one temporary Go
module next to their hooks.go and `go vet` type-checks them for real. The
type_error case checks that compile errors in rewritten code point at the
original file, line and column.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from rulec.compiler import gosource
from rulec.compiler.plan import FuncEdit, PackagePlan
from rulec.compiler.rewrite.rewriter import RewriteError, rewrite_file

CASES = Path(__file__).resolve().parent / "cases"
DISPLAY = "input.go"
UPDATE = os.environ.get("RULEC_UPDATE_GOLDEN") == "1"
GO_ENV = {**os.environ, "GOFLAGS": "-buildvcs=false", "GOWORK": "off", "GO111MODULE": "on", "GOTOOLCHAIN": "local"}

ALL_CASES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
GOLDEN_CASES = [c for c in ALL_CASES if not (CASES / c / "expected.error").exists()]
ERROR_CASES = [c for c in ALL_CASES if (CASES / c / "expected.error").exists()]
# Cases whose output must compile; type_error must not, on purpose.
COMPILING_CASES = [c for c in GOLDEN_CASES if c != "type_error"]


def package_path(case: str) -> str:
    return f"example.com/cases/{case}"


def load_edits(case: str) -> tuple[FuncEdit, ...]:
    # Read through the plan's own JSON reader, so the fixtures follow the real format.
    raw = json.loads((CASES / case / "edits.json").read_text())
    plan = PackagePlan.from_json(json.dumps({"import_path": package_path(case), "digest": "", "files": {"input.go": raw}}))
    return plan.files["input.go"]


def rewrite(case: str, display: str = DISPLAY) -> bytes:
    source = (CASES / case / "input.go").read_bytes()
    return rewrite_file(source, load_edits(case), package_path(case), display)


def test_cases_are_all_there() -> None:
    for case in (
        "method_state",
        "unnamed_params",
        "blank_params",
        "unnamed_single_result",
        "multiple_unnamed_results",
        "named_results",
        "generic",
        "same_line_body",
        "variadic",
        "missing_function",
    ):
        assert case in ALL_CASES
    for case in ALL_CASES:
        assert (CASES / case / "input.go").is_file() and (CASES / case / "edits.json").is_file(), case
        if case in GOLDEN_CASES:
            assert (CASES / case / "hooks.go").is_file(), case


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden(case: str) -> None:
    out = rewrite(case)
    golden = CASES / case / "expected.go.golden"
    if UPDATE:
        golden.write_bytes(out)
    assert golden.exists(), f"no golden for {case}; run with RULEC_UPDATE_GOLDEN=1"
    assert out.decode() == golden.read_text()


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_every_line_stays_where_it_was(case: str) -> None:
    source = (CASES / case / "input.go").read_bytes()
    out = rewrite(case)
    src_lines = source.split(b"\n")
    out_lines = out.split(b"\n")
    assert len(out_lines) == len(src_lines) + 1
    assert out_lines[0] == f"//line {DISPLAY}:1".encode()
    body = out_lines[1:]

    # Lines the rewriter may touch: each advised function's signature, up to
    # and including the line of its opening brace. Everything else is byte-identical.
    parsed = gosource.parse(source, package_path(case))
    touched: set[int] = set()
    for edit in load_edits(case):
        decl = parsed.find(edit.recv, edit.name)
        assert decl is not None and decl.body_open is not None
        brace_line = source.count(b"\n", 0, decl.body_open) + 1
        touched.update(range(decl.line, brace_line + 1))
        # The brace line ends with the /*line*/ directive and then the rest of the original line.
        line_start = source.rfind(b"\n", 0, decl.body_open) + 1
        col = decl.body_open + 1 - line_start + 1
        line_end = source.find(b"\n", decl.body_open)
        rest = source[decl.body_open + 1 : line_end if line_end >= 0 else len(source)]
        assert body[brace_line - 1].endswith(f"/*line {DISPLAY}:{brace_line}:{col}*/".encode() + rest), body[brace_line - 1]
    for i, (before, after) in enumerate(zip(src_lines, body, strict=True), start=1):
        if i not in touched:
            assert before == after, f"line {i} changed: {before!r} -> {after!r}"


@pytest.mark.parametrize("case", ERROR_CASES)
def test_rewrite_error(case: str) -> None:
    expected = (CASES / case / "expected.error").read_text().strip()
    with pytest.raises(RewriteError) as info:
        rewrite(case)
    assert expected in str(info.value)
    assert str(info.value).startswith(DISPLAY)


def _module(root: Path, cases: list[str], display: dict[str, str] | None = None) -> Path:
    """A Go module with one package per case: the rewritten input plus hooks.go."""
    (root / "go.mod").write_text("module example.com/cases\n\ngo 1.23\n")
    for case in cases:
        d = root / case
        d.mkdir()
        d.joinpath("input.go").write_bytes(rewrite(case, (display or {}).get(case, DISPLAY)))
        d.joinpath("hooks.go").write_bytes((CASES / case / "hooks.go").read_bytes())
    return root


def test_originals_compile(tmp_path: Path) -> None:
    # The inputs themselves are valid Go (so a failure below is the rewriter's).
    (tmp_path / "go.mod").write_text("module example.com/cases\n\ngo 1.23\n")
    for case in COMPILING_CASES:
        (tmp_path / case).mkdir()
        (tmp_path / case / "input.go").write_bytes((CASES / case / "input.go").read_bytes())
    proc = subprocess.run(["go", "vet", "./..."], cwd=tmp_path, env=GO_ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_rewritten_outputs_compile(tmp_path: Path) -> None:
    _module(tmp_path, COMPILING_CASES)
    proc = subprocess.run(["go", "vet", "./..."], cwd=tmp_path, env=GO_ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_compile_errors_point_at_the_original_file(tmp_path: Path) -> None:
    original = CASES / "type_error" / "input.go"
    # Each `// error@COL` comment marks a line with a type error at column COL.
    want = [
        (n, int(m.group(1)))
        for n, line in enumerate(original.read_text().splitlines(), start=1)
        if (m := re.search(r"// error@(\d+)", line))
    ]
    assert len(want) == 2
    _module(tmp_path, ["type_error"], {"type_error": str(original)})
    proc = subprocess.run(["go", "build", "./..."], cwd=tmp_path, env=GO_ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    for line, col in want:
        assert f"{original}:{line}:{col}: " in proc.stderr, proc.stderr
    # No position in the rewritten copy leaks out.
    assert str(tmp_path / "type_error" / "input.go") not in proc.stderr
