"""A fresh receiver per test here, unlike the session-wide one e2e tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from view.receiver import OtlpReceiver


@pytest.fixture
def receiver() -> Iterator[OtlpReceiver]:
    with OtlpReceiver() as started:
        yield started
