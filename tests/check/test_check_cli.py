"""`rulec check` through the real CLI, against real Go source.

Every tests/check/err_*.gorule fixture marks each diagnostic it must produce
with a comment on the offending line, `# expect: CODE@COL`. The test takes
the line from where the comment is and asserts that the output has exactly
those `file:line:col: error[CODE]: ` prefixes, no more and no fewer.

Standard-library targets are checked against GOROOT, module targets against
golang.org/x/text@v0.16.0 in the module cache (`go mod download` puts it
there; runtime-go already depends on it), hooks against runtime-go/.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "GOFLAGS": "-buildvcs=false", "GOTOOLCHAIN": "local"}

EXPECT = re.compile(r"#\s*expect:\s*([a-z-]+)@(\d+)\s*$")
DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)\[(?P<code>[a-z-]+)\]: (?=\S)")
SUMMARY = re.compile(r"^\d+ plugins, \d+ rules: no problems$")

ERR_FIXTURES = sorted(p.name for p in HERE.glob("err_*.gorule"))


def rulec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rulec", *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)


def rel(name: str) -> str:
    return str((HERE / name).relative_to(ROOT))


def expected_prefixes(name: str) -> list[str]:
    out = []
    for n, line in enumerate((HERE / name).read_text().splitlines(), start=1):
        m = EXPECT.search(line)
        if m:
            out.append(f"{rel(name)}:{n}:{m.group(2)}: error[{m.group(1)}]: ")
    return sorted(out)


@pytest.fixture(scope="module", autouse=True)
def text_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """golang.org/x/text@v0.16.0 in the module cache (a no-op once it is there)."""
    proc = subprocess.run(
        ["go", "mod", "download", "-json", "golang.org/x/text@v0.16.0"],
        cwd=tmp_path_factory.mktemp("gomod"),
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    info = json.loads(proc.stdout)
    assert info["Version"] == "v0.16.0"
    return Path(info["Dir"])


def test_builtin_rules_pass() -> None:
    for args in (["check"], ["check", "rules"]):
        proc = rulec(*args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert SUMMARY.match(proc.stdout.strip()), proc.stdout
        assert "Traceback" not in proc.stdout + proc.stderr


def test_fixtures_cover_every_error_code() -> None:
    from rulec.ruledsl.diagnostics import CODES

    codes = {p.split("error[")[1].split("]")[0] for f in ERR_FIXTURES for p in expected_prefixes(f)}
    # `type` comes from compiling rules in a module: tests/e2e/test_user_rules.py;
    # `no-release` from --releases: test_check_releases.py; `runtime-edit` from
    # a Go runtime's source: tests/compiler/test_goroutine_anchors.py.
    assert codes == set(CODES) - {"read", "type", "no-release", "runtime-edit"}


@pytest.mark.parametrize("fixture", ERR_FIXTURES)
def test_error_fixture(fixture: str) -> None:
    want = expected_prefixes(fixture)
    assert want, f"{fixture} has no `# expect: CODE@COL` comment"
    proc = rulec("check", rel(fixture))
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert all(DIAG.match(line) for line in lines), proc.stdout
    got = sorted(DIAG.match(line).group(0) for line in lines)
    assert got == want, proc.stdout


def test_hook_outside_the_runtime_says_where_hooks_live() -> None:
    proc = rulec("check", rel("err_unknown_hook.gorule"))
    assert "hook os.Exit is in the standard library; hooks live in rulec's runtime, the main module or a module" in proc.stdout
    assert "(None)" not in proc.stdout


def test_one_bad_file_fails_the_whole_check() -> None:
    proc = rulec("check", "rules", rel("err_unknown_hook.gorule"))
    assert proc.returncode == 1
    assert "error[unknown-hook]" in proc.stdout
    assert "no problems" not in proc.stdout


def test_module_target_missing_function_is_checked_against_the_cached_version(text_module: Path) -> None:
    proc = rulec("check", rel("err_module_unknown_target.gorule"))
    assert proc.returncode == 1
    # The newest cached version inside the range (v0.16.0), not a newer one in the cache.
    assert f"does not exist in {text_module / 'language'}" in proc.stdout, proc.stdout


def test_module_target_that_exists_is_not_an_error() -> None:
    # language.Parse is found in the module: the only problem left is the hook's,
    # and its message proves Parse's real signature (one parameter) was read.
    proc = rulec("check", rel("err_module_hook_signature.gorule"))
    assert proc.returncode == 1
    assert "unknown-target" not in proc.stdout and "target-scope" not in proc.stdout
    assert "does not fit golang.org/x/text/language.Parse: takes 0 parameters where 1 are expected" in proc.stdout

    proc = rulec("check", rel("ok_module_target.gorule"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "1 plugins, 2 rules: no problems"


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.gorule"
    bad.write_bytes(b"plugin caf\xe9\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    for path, code in ((bad, "read"), (empty, "read"), (tmp_path / "absent.gorule", "read")):
        proc = rulec("check", str(path))
        assert proc.returncode == 1
        assert "Traceback" not in proc.stdout + proc.stderr
        assert proc.stdout.startswith(f"{path}:1:1: error[{code}]: "), proc.stdout
