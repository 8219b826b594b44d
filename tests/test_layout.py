"""The folders keep the pipeline's direction: the command line sits above
the compiler and the console, which never import each other or it (both
read the rule model, ruledsl/, which imports neither). And they install
under one name, rulec: no generic top-level name reaches site-packages."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("compiler", "ruledsl", "view")


def _imported_modules(folder: str) -> Iterator[str]:
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield node.module


def _stage(module: str) -> str:
    """rulec.compiler.x -> compiler; rulec.cli -> rulec; anything else: its top-level name."""
    parts = module.split(".")
    if parts[0] == "rulec":
        return parts[1] if len(parts) > 1 and parts[1] in STAGES else "rulec"
    return parts[0]


def _imported_packages(folder: str) -> set[str]:
    return {_stage(m) for m in _imported_modules(folder)}


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("compiler", {"view", "rulec"}), ("ruledsl", {"compiler", "view", "rulec"}), ("view", {"compiler", "rulec"})],
)
def test_lower_stages_do_not_import_higher_ones(folder: str, forbidden: set[str]) -> None:
    assert not _imported_packages(folder) & forbidden


@pytest.mark.parametrize("folder", ["rulec", *STAGES, "tests", "bench", "examples"])
def test_the_stages_are_imported_through_rulec_only(folder: str) -> None:
    assert not {m for m in _imported_modules(folder) if m.split(".")[0] in STAGES}


def test_every_package_folder_is_installed_under_rulec() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {"rulec": "rulec", **{f"rulec.{stage}": stage for stage in STAGES}}
    assert setuptools["package-dir"] == {name: folder for name, folder in folders.items() if name != "rulec"}
    on_disk = {
        name + "".join("." + part for part in init.parent.relative_to(ROOT / folder).parts)
        for name, folder in folders.items()
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert set(setuptools["packages"]) == on_disk


def test_the_installed_rulec_exposes_one_top_level_name(tmp_path: Path) -> None:
    # The interpreter the tests run with is the one install.sh installed rulec
    # into; asked from outside the checkout, so the checkout is not on its path.
    probe = """
import importlib.util, json, sys
import rulec.compiler.gocommand.shim, rulec.ruledsl.parser, rulec.view.app
specs = {name: importlib.util.find_spec(name) for name in sys.argv[1:]}
print(json.dumps([rulec.compiler.gocommand.shim.__file__, {name: spec and spec.origin for name, spec in specs.items()}]))
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", probe, *STAGES], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    shim_file, found = json.loads(out.stdout)
    assert Path(shim_file) == ROOT / "compiler" / "gocommand" / "shim.py"
    assert not any(origin and Path(origin).is_relative_to(ROOT) for origin in found.values()), found
