"""The folders keep the pipeline's direction: the command line sits above
the compiler and the console, which never import each other or it (both
read the rule model, ruledsl/, which imports neither)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imported_packages(folder: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("compiler", {"view", "rulec"}), ("ruledsl", {"compiler", "view", "rulec"}), ("view", {"compiler", "rulec"})],
)
def test_lower_stages_do_not_import_higher_ones(folder: str, forbidden: set[str]) -> None:
    assert not _imported_packages(folder) & forbidden
