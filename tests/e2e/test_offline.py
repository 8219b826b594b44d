"""Offline builds: with the module cache filled, `GOPROXY=off` works; with it
empty, rulec stops and names the modules it is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.gomod import ROOT, copy_module, rulec, snapshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return copy_module(ROOT / "examples" / "shop", tmp_path / "shop")


def test_offline_with_a_filled_cache(module: Path, tmp_path: Path) -> None:
    env = {"GOPROXY": "off", "GOFLAGS": "-mod=mod", "RULEC_CACHE": str(tmp_path / "fresh-plans")}
    proc = rulec("build", "-o", str(tmp_path / "app"), "./frontend", cwd=module, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "app").exists()


def test_offline_with_an_empty_cache_names_what_is_missing(module: Path, tmp_path: Path) -> None:
    before = snapshot(module)
    env = {"GOPROXY": "off", "GOMODCACHE": str(tmp_path / "empty-modcache"), "RULEC_CACHE": str(tmp_path / "plans")}
    try:
        proc = rulec("build", "-o", str(tmp_path / "app"), "./frontend", cwd=module, env=env)
    finally:
        # The go command writes its module cache read-only.
        for p in (tmp_path / "empty-modcache").rglob("*"):
            p.chmod(0o755)
        shutil.rmtree(tmp_path / "empty-modcache", ignore_errors=True)
    assert proc.returncode == 2
    assert "cannot add rulec's runtime to this build" in proc.stderr
    assert "go.opentelemetry.io/otel" in proc.stderr and "module lookup disabled by GOPROXY=off" in proc.stderr
    assert "fill it" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "app").exists()
    assert snapshot(module) == before
