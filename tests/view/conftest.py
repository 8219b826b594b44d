"""A fresh receiver per test here, unlike the session-wide one e2e tests share;
a browser page per console test, on the test module's own `view`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rulec.view.receiver import OtlpReceiver


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver() as started:
        yield started


@pytest.fixture
def page(browser: Any, view: Any) -> Iterator[Any]:
    """A fresh browser context; the test fails on any script error the page logged."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == []
