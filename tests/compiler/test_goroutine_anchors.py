"""The goroutine-context edit of package runtime is made only where its
anchors match the release's source exactly: checked against real Go sources,
and against a copy of one whose anchors moved."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from rulec.compiler import goroutine_context
from rulec.compiler.check import _runtime_edit


def _goroot() -> Path:
    return Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())


def _runtime_copy(tmp_path: Path, edit: tuple[str, str] | None) -> Path:
    """GOROOT/src/runtime's two anchored files, `edit` (old, new) applied to proc.go."""
    src = _goroot() / "src" / "runtime"
    dst = tmp_path / "src" / "runtime"
    dst.mkdir(parents=True)
    shutil.copy(src / "runtime2.go", dst)
    proc = (src / "proc.go").read_text()
    if edit:
        assert edit[0] in proc
        proc = proc.replace(*edit)
    (dst / "proc.go").write_text(proc)
    return dst


def test_the_machines_go_fits() -> None:
    assert goroutine_context.misfit(str(_goroot() / "src" / "runtime")) is None


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (("func newproc1(", "func newgoroutine1("), "runtime.newproc1 is not declared in proc.go"),
        (("parked bool, waitreason waitReason) *g {", "parked bool, reason waitReason) *g {"), "runtime.newproc1 has another signature"),
        (("func gdestroy(gp *g) {", "func gdestroy(gp *g, keep bool) {"), "runtime.gdestroy has another signature"),
    ],
)
def test_a_moved_anchor_is_named(tmp_path: Path, edit: tuple[str, str], why: str) -> None:
    runtime = _runtime_copy(tmp_path, edit)
    assert why in (goroutine_context.misfit(str(runtime)) or "")
    (diag,) = _runtime_edit([("1.99.0", tmp_path)])
    assert diag.code == "runtime-edit" and diag.message.startswith("Go 1.99.0: " + why)
    assert str(diag.pos).endswith("compiler/goroutine_context.py:1:1")


def test_a_missing_runtime_is_named(tmp_path: Path) -> None:
    assert "cannot read the runtime's source" in (goroutine_context.misfit(str(tmp_path)) or "")
