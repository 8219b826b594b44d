"""The Go release rulec runs with is read before anything else: tested
releases build as usual, newer ones build with a warning, older ones stop."""

from __future__ import annotations

import pytest

from rulec.compiler import gorelease


@pytest.mark.parametrize(
    ("goversion", "version"),
    [
        ("go1.25.0", "1.25.0"),
        ("go1.25.7", "1.25.7"),
        ("go1.26.8", "1.26.8"),
        ("go1.26rc1", "1.26.0-rc1"),
        ("go1.27.3", "1.27.3"),
        ("go1.27.3 X:nodwarf5", "1.27.3"),
    ],
)
def test_tested_releases(goversion: str, version: str) -> None:
    release = gorelease.parse(goversion)
    assert release.version == version and not release.untested


@pytest.mark.parametrize(("goversion", "version"), [("go1.28rc1", "1.28.0-rc1"), ("go1.28.0", "1.28.0"), ("devel go1.29-abcdef", "1.29.0")])
def test_newer_releases_build_untested(goversion: str, version: str) -> None:
    release = gorelease.parse(goversion)
    assert release.version == version and release.untested
    assert f"Go {version} is newer than rulec is tested with (1.25 to 1.27)" in release.warning()


@pytest.mark.parametrize("goversion", ["go1.24.9", "go1.21.0", "go1.18"])
def test_older_releases_stop_with_a_clear_message(goversion: str) -> None:
    with pytest.raises(gorelease.UnsupportedGo) as e:
        gorelease.parse(goversion)
    assert "rulec supports Go 1.25 to 1.27" in str(e.value) and "plain `go`" in str(e.value)


def test_an_unreadable_version_stops_with_a_clear_message() -> None:
    with pytest.raises(gorelease.UnsupportedGo) as e:
        gorelease.parse("weird")
    assert "cannot tell which Go release 'weird' is" in str(e.value)
