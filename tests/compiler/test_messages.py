"""An error line says "rulec" once, whether or not the problem's text opens with it."""

from __future__ import annotations

import pytest

from rulec.compiler.messages import error_line


@pytest.mark.parametrize(
    ("problem", "line"),
    [
        ("rulec builds Go modules: no go.mod found here", "rulec builds Go modules: no go.mod found here"),
        ("rulec's runtime would downgrade x", "rulec's runtime would downgrade x"),
        ("rulec.toml:3: unknown key 'x'", "rulec: rulec.toml:3: unknown key 'x'"),
        ("-modfile cannot be used in workspace mode", "rulec: -modfile cannot be used in workspace mode"),
    ],
)
def test_rulec_is_said_once(problem: str, line: str) -> None:
    assert error_line(ValueError(problem)) == line
