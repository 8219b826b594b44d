"""Golden cases from .gorule text through the whole pipeline: parse, resolve,
plan, rewrite, compile.

Each folder here is one case:
  rule.gorule       the rules (every *.gorule of the folder is read)
  *.go              the package the rules advise, example.com/golden/<case>
  <dir>/*.go        more packages of the case's module: hooks, a library
  expected/         every file the compile gets rewritten or generated, by
                    its path in the module plus .golden (no Go tool takes
                    them for source), or
  expected.error    the diagnostics, one `file:line:col: error[code]: message`
                    a line
  xfail             the checks the case fails for a known bug in rulec, and
                    why (see _xfail); the case stays, to turn green with the fix

Each case is a Go module of its own (example.com/golden/<case>) that requires
rulec's runtime, listed by the real `go list` as `rulec build` lists a build:
the package, then the hook packages the rules name, which the application
need not import. The planned files are rewritten as the toolexec compile
does (compiler/gocommand/compile.py). The module's directory becomes
$MODULE in what is compared, and the plan digest <digest> (it changes with
rulec's own code), so the goldens stay put. RULEC_UPDATE_GOLDEN=1 writes
expected/ and expected.error from what the pipeline gives (review the diff).

Beyond the bytes, every original line keeps its number (and, after each
`/*line*/` directive, its column), and the outputs compile: every case joins
one module, example.com/golden, where each keeps its import paths, and one
`go build` and one `go vet` check them all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from rulec.compiler import gorelease
from rulec.compiler.golist import Build, go_env, go_list
from rulec.compiler.graph import RuleGraph
from rulec.compiler.plan import PackagePlan
from rulec.compiler.planner import write_plan
from rulec.compiler.resolve import resolve
from rulec.compiler.rewrite.rewriter import rewrite_file
from rulec.ruledsl.model import RUNTIME_MODULE, Plugin
from rulec.ruledsl.parser import parse_text

CASES = Path(__file__).resolve().parent
RUNTIME_DIR = CASES.parent.parent / "runtime-go"
MODULE = "example.com/golden"
UPDATE = os.environ.get("RULEC_UPDATE_GOLDEN") == "1"
GO_ENV = {**os.environ, "GOFLAGS": "-buildvcs=false", "GOWORK": "off", "GO111MODULE": "on", "GOTOOLCHAIN": "local"}
GO_MOD = f"go 1.24\n\nrequire {RUNTIME_MODULE} v0.0.0\n\nreplace {RUNTIME_MODULE} => {RUNTIME_DIR}\n"
NOT_INPUT = {"expected", "expected.error", "xfail"}

ALL_CASES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and any(p.glob("*.gorule")))
ERROR_CASES = [c for c in ALL_CASES if (CASES / c / "expected.error").exists()]
GOLDEN_CASES = [c for c in ALL_CASES if c not in ERROR_CASES]
SUFFIX = ".golden"  # expected/X.go.golden: no Go tool takes a golden for source


def _xfail(case: str) -> dict[str, str]:
    """The checks a case fails because of a bug in rulec, from its file
    `xfail`: `CHECK: reason` lines, CHECK one of plan (the pipeline
    refuses the case; then lines and compile fail too), lines, compile."""
    path = CASES / case / "xfail"
    found = dict(line.split(": ", 1) for line in path.read_text().splitlines() if line.strip()) if path.exists() else {}
    if "plan" in found:
        found = {"lines": found["plan"], "compile": found["plan"], **found}
    assert set(found) <= {"plan", "lines", "compile"}, f"{case}/xfail: {sorted(found)}"
    return found


XFAIL = {c: _xfail(c) for c in GOLDEN_CASES}


def _cases(check: str) -> list:
    """The golden cases for a check, each case the check fails for a known
    bug marked so: strictly, so that the fix must remove its line from `xfail`."""
    return [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=XFAIL[c][check])) if check in XFAIL[c] else c for c in GOLDEN_CASES]


COMPILING_CASES = [c for c in GOLDEN_CASES if "compile" not in XFAIL[c]]
# `file:line:col: error[code]: message`, as ruledsl/diagnostics.py prints one.
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: error\[[a-z-]+\]: \S.*$")
# A position directive inside a line: `/*line FILE:LINE:COL*/`.
LINE_DIRECTIVE = re.compile(rb"/\*line ([^*]+?):(\d+):(\d+)\*/")


@dataclass
class Outcome:
    """What the pipeline made of one case."""

    module: Path
    diagnostics: list[str] = field(default_factory=list)
    inactive: list[str] = field(default_factory=list)
    outputs: dict[str, bytes] = field(default_factory=dict)  # module-relative path → what the compile gets
    originals: dict[str, bytes] = field(default_factory=dict)  # the rewritten files as they were

    def normalised(self, text: str) -> str:
        text = text.replace(str(self.module), "$MODULE")
        return re.sub(r"// rulec plan [0-9a-f]+", "// rulec plan <digest>", text)


# --- the pipeline ------------------------------------------------------------


def _write_module(case: str, dest: Path) -> Path:
    shutil.copytree(CASES / case, dest, ignore=lambda _, names: [n for n in names if n in NOT_INPUT or n == "__pycache__"])
    (dest / "go.mod").write_text(f"module {MODULE}/{case}\n\n{GO_MOD}")
    shutil.copyfile(RUNTIME_DIR / "go.sum", dest / "go.sum")
    return dest


def _parse(module: Path) -> tuple[list[Plugin], list[str]]:
    plugins, diagnostics = [], []
    for path in sorted(module.glob("*.gorule")):
        plugin, diags = parse_text(path.read_text(), str(path))
        diagnostics += [str(d) for d in diags]
        if plugin is not None:
            plugins.append(plugin)
    return plugins, diagnostics


def _list(module: Path, graph: RuleGraph, go_version: str) -> Build:
    """The build as the driver lists it: the package, and the hook packages
    (the user's and the runtime's core) seen but not built as roots."""
    hooks = {h.package for r in graph.rules() for h in (r.before, r.after) if h is not None}
    extra = sorted(hooks | {RUNTIME_MODULE + "/core"})
    # -mod=mod: the go command records the checksums the runtime's requirements still lack.
    build = go_list(["-mod=mod", ".", *extra], go_version, GO_ENV, str(module))
    assert not build.errors, build.errors
    for path in extra:
        if path in build.packages:
            build.packages[path] = replace(build.packages[path], root=False)
    return build


def _apply(plan_dir: Path, module: Path, import_path: str, out: Outcome) -> None:
    """Take each generated file the overlay adds to the module's packages, and
    rewrite each planned file as the toolexec compile does: a call-site
    rule's wrapper is advised inside the generated file itself."""
    overlay = json.loads((plan_dir / "overlay.json").read_text())["Replace"]
    for target, generated in overlay.items():
        if Path(target).is_relative_to(module):
            out.outputs[str(Path(target).relative_to(module))] = Path(generated).read_bytes()
    for plan_file in sorted((plan_dir / "packages").glob("*.json")):
        plan = PackagePlan.from_json(plan_file.read_text())
        if plan.import_path != import_path and not plan.import_path.startswith(import_path + "/"):
            continue  # the standard library's (package runtime's goroutine context)
        pkg_dir = module / plan.import_path[len(import_path) :].lstrip("/")
        for base in sorted(plan.planned_files):
            path = pkg_dir / base
            rel = str(path.relative_to(module))
            source = out.outputs.get(rel) or path.read_bytes()
            out.originals[rel] = source
            out.outputs[rel] = rewrite_file(
                source, plan.files.get(base, ()), plan.import_path, str(path), plan.fields.get(base, ()), plan.call_sites.get(base, ())
            )


def run_case(case: str, work: Path, go_version: str) -> Outcome:
    module = _write_module(case, work / "modules" / case)
    out = Outcome(module)
    plugins, out.diagnostics = _parse(module)
    if out.diagnostics:
        return out
    graph = RuleGraph(plugins)
    build = _list(module, graph, go_version)
    res = resolve(graph, build)
    out.diagnostics = [str(d) for d in res.diagnostics]
    out.inactive = [f"{r.id}: {why}" for r, why, _ in res.graph.inactive_rules()]
    if out.diagnostics:
        return out
    plan_dir = work / "plans" / case
    write_plan(res, build, str(plan_dir), str(plan_dir))
    _apply(plan_dir, module, f"{MODULE}/{case}", out)
    return out


# --- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="session")
def go_version() -> str:
    return gorelease.parse(go_env(["GOVERSION"], GO_ENV)["GOVERSION"]).version


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("golden").resolve()


class _LazyOutcomes(dict):
    """Outcomes by case, each run when first asked for: `-k` one case plans that case alone."""

    def __init__(self, work: Path, go_version: str) -> None:
        super().__init__()
        self.work, self.go_version = work, go_version

    def __missing__(self, case: str) -> Outcome:
        self[case] = run_case(case, self.work, self.go_version)
        return self[case]


@pytest.fixture(scope="session")
def outcomes(work: Path, go_version: str) -> dict[str, Outcome]:
    """Each case's outcome, made once when a test first asks for it."""
    return _LazyOutcomes(work, go_version)


# --- checks ------------------------------------------------------------------


def _expected(case: str) -> dict[str, str]:
    root = CASES / case / "expected"
    return {str(p.relative_to(root)).removesuffix(SUFFIX): p.read_text() for p in sorted(root.rglob("*" + SUFFIX))}


def _write_expected(case: str, files: dict[str, str]) -> None:
    root = CASES / case / "expected"
    shutil.rmtree(root, ignore_errors=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / (rel + SUFFIX)).write_text(text)


def _changed_line(n: int, before: bytes, after: bytes, display: str) -> None:
    """A line the rewrite changed: each `/*line*/` back into this file names
    this line, the original text follows it from the column it names, and
    the last directive on the line is one of these (so the next line counts on)."""
    directives = list(LINE_DIRECTIVE.finditer(after))
    assert directives, f"line {n} changed with no /*line*/ directive: {before!r} -> {after!r}"
    assert directives[-1].group(1).decode() == display, f"line {n} ends in another file's positions: {after!r}"
    for m in directives:
        if m.group(1).decode() != display:
            continue  # code of the rule's, positioned at the .gorule
        line, col = int(m.group(2)), int(m.group(3))
        assert line == n, f"line {n} says it is line {line}: {after!r}"
        # After the directive comes the original from that column: all of
        # it, or up to the next insertion.
        tail = after[m.end() :]
        parts = re.split(rb"__rulec_|/\*line ", tail, maxsplit=1)
        original = before[col - 1 :]
        kept = original == tail if len(parts) == 1 else original.startswith(parts[0])
        assert kept, f"line {n}, column {col}: {tail!r} does not go on from {original!r}"


def check_lines_kept(original: bytes, rewritten: bytes, display: str) -> None:
    src = original.split(b"\n")
    out = rewritten.split(b"\n")
    assert out[0] == f"//line {display}:1".encode()
    body = out[1 : len(src) + 1]
    assert len(body) == len(src)  # lines rulec adds after the last (`var _ = pkg.F`) move nothing
    for n, (before, after) in enumerate(zip(src, body, strict=True), start=1):
        if before != after:
            _changed_line(n, before, after, display)


def test_line_check_catches_what_moves() -> None:
    src = b"package p\n\nfunc F() {\n\treturn\n}\n"
    good = b"//line f.go:1\npackage p\n\nfunc F() { __rulec_x(); /*line f.go:3:11*/\n\treturn\n}\n"
    check_lines_kept(src, good, "f.go")
    moved = good.replace(b"__rulec_x(); ", b"__rulec_x()\n")
    wrong_column = good.replace(b":3:11", b":3:10")
    unmarked = good.replace(b"\treturn", b"\treturn;")
    elsewhere = good.replace(b"/*line f.go:3:11*/", b"/*line f.go:3:11*//*line r.gorule:1:1*/")
    for bad in (moved, wrong_column, unmarked, elsewhere):
        with pytest.raises(AssertionError):
            check_lines_kept(src, bad, "f.go")


def test_cases_are_all_there() -> None:
    for case in (
        "call_function",
        "call_method_state",
        "call_pointer_replace",
        "after_panic",
        "handler",
        "callsite",
        "struct_field",
        "at_entry",
        "span_attributes",
        "priority",
        "err_unknown_target",
        "err_hook_signature",
        "err_unknown_value",
        "err_conflict",
        "err_callsite_unexported",
    ):
        assert case in ALL_CASES
    for case in ALL_CASES:
        assert any((CASES / case).glob("*.go")), f"{case} has no input Go file"
        golden = (CASES / case / "expected").is_dir() or "plan" in XFAIL.get(case, {})
        assert golden != (case in ERROR_CASES), f"{case}: expected/ or expected.error, one of them"


@pytest.mark.parametrize("case", _cases("plan"))
def test_golden(case: str, outcomes: dict[str, Outcome]) -> None:
    out = outcomes[case]
    assert not out.diagnostics, "\n".join(out.diagnostics)
    assert not out.inactive, out.inactive  # a rule that silently applies nowhere is no golden
    if "plan" in XFAIL[case] and not (CASES / case / "expected").is_dir():
        return  # planned at last: the fix writes its golden (RULEC_UPDATE_GOLDEN=1)
    got = {rel: out.normalised(text.decode()) for rel, text in sorted(out.outputs.items())}
    if UPDATE:
        _write_expected(case, got)
    want = _expected(case)
    assert sorted(got) == sorted(want), "the files the compile gets differ"
    for rel in want:
        assert got[rel] == want[rel], f"{case}/expected/{rel} differs"


@pytest.mark.parametrize("case", _cases("lines"))
def test_every_line_keeps_its_number(case: str, outcomes: dict[str, Outcome]) -> None:
    out = outcomes[case]
    assert out.originals, "nothing was rewritten"
    for rel, original in out.originals.items():
        check_lines_kept(original, out.outputs[rel], str(out.module / rel))


@pytest.mark.parametrize("case", ERROR_CASES)
def test_diagnostics(case: str, outcomes: dict[str, Outcome]) -> None:
    out = outcomes[case]
    got = "".join(out.normalised(d) + "\n" for d in out.diagnostics)
    if UPDATE and got:
        (CASES / case / "expected.error").write_text(got)
    assert got, "the case planned without an error"
    for line in got.splitlines():
        assert DIAGNOSTIC.match(line), line
        assert line.startswith("$MODULE/rule.gorule:"), line  # at the rule, not somewhere in Go
    assert got == (CASES / case / "expected.error").read_text()
    assert not out.outputs


def _compile(outcomes: dict[str, Outcome], cases: list[str], root: Path) -> None:
    """The cases' outputs in one module, example.com/golden, where each keeps
    its import paths: `go build` compiles them for real (body-less linkname
    declarations included), `go vet` checks them."""
    for case in cases:
        out = outcomes[case]
        assert out.outputs, f"{case} has nothing to compile"
        shutil.copytree(out.module, root / case, ignore=shutil.ignore_patterns("go.mod", "go.sum", "*.gorule"))
        for rel, text in out.outputs.items():
            (root / case / rel).write_bytes(text)
    (root / "go.mod").write_text(f"module {MODULE}\n\n{GO_MOD}")
    shutil.copyfile(RUNTIME_DIR / "go.sum", root / "go.sum")
    # -mod=mod: the generated files import the runtime, whose requirements go.mod then lists.
    for command in (["go", "build", "-mod=mod", "./..."], ["go", "vet", "-mod=mod", "./..."]):
        proc = subprocess.run(command, cwd=root, env=GO_ENV, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr


def test_outputs_compile(outcomes: dict[str, Outcome], work: Path) -> None:
    _compile(outcomes, COMPILING_CASES, work / "compile")


@pytest.mark.parametrize("case", [p for p in _cases("compile") if p not in COMPILING_CASES])
def test_known_bug_compiles(case: str, outcomes: dict[str, Outcome], work: Path) -> None:
    _compile(outcomes, [case], work / f"compile-{case}")
