"""The example shop, built once per test run with `rulec build` and with `go build`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.gomod import ROOT, copy_module, go, rulec


@dataclass(frozen=True)
class Shop:
    module: Path  # a copy of examples/shop
    frontend: Path
    backend: Path
    build_stderr: str


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    module = copy_module(ROOT / "examples" / "shop", tmp_path_factory.mktemp("shop") / "shop")
    out = tmp_path_factory.mktemp("bin")
    stderr = ""
    for name in ("frontend", "backend"):
        proc = rulec("build", "-o", str(out / name), f"./{name}", cwd=module)
        assert proc.returncode == 0, proc.stderr
        stderr += proc.stderr
    yield Shop(module, out / "frontend", out / "backend", stderr)


@pytest.fixture(scope="session")
def plain_shop(shop: Shop, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    proc = go("build", "-o", str(out) + "/", "./frontend", "./backend", cwd=shop.module)
    assert proc.returncode == 0, proc.stderr
    return out
