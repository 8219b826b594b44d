"""The Go release rulec runs with is checked before anything else."""

from __future__ import annotations

import pytest

from compiler.build.driver import SUPPORTED_GO, BuildError, _check_go


@pytest.mark.parametrize("version", ["go1.25.0", "go1.25.7", "go1.26.8", "go1.26rc1"])
def test_supported_releases(version: str) -> None:
    assert _check_go(version).startswith("1.2")


@pytest.mark.parametrize("version", ["go1.24.9", "go1.21.0", "go1.27.0", "devel go1.27-abcdef", "weird"])
def test_unsupported_releases_stop_with_a_clear_message(version: str) -> None:
    with pytest.raises(BuildError) as e:
        _check_go(version)
    lo, hi = (f"{a}.{b}" for a, b in SUPPORTED_GO)
    assert f"rulec supports Go {lo} to {hi}" in str(e.value) and "plain `go`" in str(e.value)
