"""docs/writing-rules.md, run: every file it shows is written, every command
it shows is run in order, and every output line it shows must appear (the
conventions are tests/support/doctest.py's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.doctest import rulec_on_path, run_block, steps
from support.gomod import ROOT

pytestmark = pytest.mark.e2e

DOC = ROOT / "docs" / "writing-rules.md"


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    return rulec_on_path(tmp_path / "bin", ROOT)


def test_every_step_of_the_tutorial(tmp_path: Path, shell_env: dict[str, str]) -> None:
    work = tmp_path / "shop"
    work.mkdir()
    doc_steps = steps(DOC.read_text())
    assert len([s for s in doc_steps if s[0] != "file"]) >= 10, "the tutorial's run blocks were not found"
    for kind, path, body in doc_steps:
        if kind == "file":
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(body)
        else:
            run_block(kind, body, work, shell_env)
