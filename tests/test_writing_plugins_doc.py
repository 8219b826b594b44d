"""docs/writing-plugins.md, run: every file it shows is the repository's own
file, byte for byte (so the suite runs each example: the rule file through
`rulec check --releases`, the hooks' test through `go test`, the end-to-end
test through pytest), and every command it shows runs from the repository's
root and prints what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.doctest import rulec_on_path, run_block, steps
from support.gomod import ROOT

DOC = ROOT / "docs" / "writing-plugins.md"


def test_the_files_shown_are_the_plugins_own() -> None:
    shown = [(path, text) for kind, path, text in steps(DOC.read_text()) if kind == "file"]
    assert len(shown) >= 5, "the guide's file blocks were not found"
    for path, text in shown:
        assert (ROOT / path).read_text() == text, f"docs/writing-plugins.md shows {path} other than it is"


@pytest.mark.e2e
def test_the_commands_shown_run(tmp_path: Path) -> None:
    env = rulec_on_path(tmp_path / "bin", ROOT)
    runs = [(kind, body) for kind, _, body in steps(DOC.read_text()) if kind != "file"]
    assert runs, "the guide's run blocks were not found"
    for kind, body in runs:
        run_block(kind, body, ROOT, env)
