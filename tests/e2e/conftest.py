"""Session fixtures: the example shop, built once per test run with `rulec
build` and with `go build`, and the real servers plugin tests talk to, each
started once per test run when a test first asks for it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import services
from support.gomod import ROOT, copy_module, go, rulec


@dataclass(frozen=True)
class Shop:
    module: Path  # a copy of examples/shop
    frontend: Path
    backend: Path
    build_stderr: str


def _build_shop(tmp_path_factory: pytest.TempPathFactory, rulec_toml: str = "") -> Shop:
    module = copy_module(ROOT / "examples" / "shop", tmp_path_factory.mktemp("shop") / "shop")
    if rulec_toml:
        (module / "rulec.toml").write_text(rulec_toml)
    out = tmp_path_factory.mktemp("bin")
    stderr = ""
    for name in ("frontend", "backend"):
        proc = rulec("build", "-o", str(out / name), f"./{name}", cwd=module)
        assert proc.returncode == 0, proc.stderr
        stderr += proc.stderr
    return Shop(module, out / "frontend", out / "backend", stderr)


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    """The example shop as rulec builds it by default: OTLP over HTTP only."""
    return _build_shop(tmp_path_factory)


@pytest.fixture(scope="session")
def shop_exporters(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    """The example shop with the OTLP/gRPC and Prometheus exporters linked, as rulec.toml asks."""
    return _build_shop(tmp_path_factory, '[runtime]\nexporters = ["otlp-grpc", "prometheus"]\n')


@pytest.fixture(scope="session")
def plain_shop(shop: Shop, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    proc = go("build", "-o", str(out) + "/", "./frontend", "./backend", cwd=shop.module)
    assert proc.returncode == 0, proc.stderr
    return out


def _serve(start: Callable[[Path], AbstractContextManager[services.Server]]) -> Iterator[services.Server]:
    # Not under pytest's 0700 base directory: the database servers run as
    # their own system users, who must reach their data directories.
    workdir = Path(tempfile.mkdtemp(prefix="rulec-svc-"))
    os.chmod(workdir, 0o755)
    try:
        with start(workdir) as server:
            yield server
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[services.Server]:
    yield from _serve(services.postgres)


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[services.Server]:
    yield from _serve(services.mariadb)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[services.Server]:
    yield from _serve(services.redis)


@pytest.fixture(scope="session")
def memcached_server() -> Iterator[services.Server]:
    yield from _serve(services.memcached)
