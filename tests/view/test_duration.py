"""--retention and the API's `last=`: durations as people type them."""

from __future__ import annotations

import pytest

from rulec.view.duration import parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("24h", 86400), ("7d", 604800), ("1h30m", 5400), ("2.5", 2.5), ("500ms", 0.5)],
)
def test_parses(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "0s", "-5m", "soon", "5x", "1h 30m", "h"])
def test_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
