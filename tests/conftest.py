"""Shared fixtures: one Go build cache and one OTLP receiver per test run.

A cold build of the OTel SDK takes minutes on these machines, so every test
shares GOCACHE (the caller's, or the one .ci/run sets) and rulec's plan cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from rulec.view.receiver import OtlpReceiver

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def rulec_cache() -> Iterator[Path]:
    # Plans are cheap to recompute; keep them away from the developer's own cache.
    if os.environ.get("RULEC_CACHE"):
        yield Path(os.environ["RULEC_CACHE"])
        return
    with tempfile.TemporaryDirectory(prefix="rulec-cache-") as d:
        os.environ["RULEC_CACHE"] = d
        yield Path(d)


@pytest.fixture(scope="session")
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver() as r:
        yield r


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium, driven by Playwright (the console's browser tests)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("no chromium: run tests/services/install.sh")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()
