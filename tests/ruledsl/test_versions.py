"""ruledsl.versions: version keys and ranges for Go releases and module versions."""

from __future__ import annotations

import pytest

from rulec.ruledsl.versions import VersionError, VersionRange, version_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1.22", "v1.22.0"),
        ("go1.26.8", "1.26.8"),
        ("go1.26.8", "v1.26.8"),
        ("1", "1.0.0"),
        ("v1.2.3+incompatible", "v1.2.3"),
        (" v1.2.3 ", "v1.2.3"),
    ],
)
def test_equal_spellings(a: str, b: str) -> None:
    assert version_key(a) == version_key(b)


@pytest.mark.parametrize(
    "ordered",
    [
        ["1.21", "1.22", "1.22.1", "1.22.10", "1.23", "go1.26.8", "2"],
        ["v9.0.0-rc.1", "v9.0.0", "v9.0.1", "v10.0.0-alpha", "v10.0.0"],
        # semver pre-release precedence: numeric identifiers compare as numbers,
        # numeric below alphanumeric, and a shorter prefix sorts first.
        ["v1.0.0-alpha", "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1", "v1.0.0"],
        ["v1.0.0-rc.2", "v1.0.0-rc.10"],
        # Go pseudo-versions order by their timestamp.
        ["v0.0.0-20230101000000-aaaaaaaaaaaa", "v0.0.0-20240701130421-f6361c86f094", "v0.0.1"],
    ],
)
def test_order(ordered: list[str]) -> None:
    keys = [version_key(v) for v in ordered]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("bad", ["", "latest", "v", "go", "1.x", "1..2", "v1.2.3.4", "v1.2.3-", "v1.2.3 extra", "devel"])
def test_not_versions(bad: str) -> None:
    with pytest.raises(VersionError, match="is not a version"):
        version_key(bad)


def test_range_with_two_bounds() -> None:
    r = VersionRange.parse(">= v9.0.0, < v10")
    assert str(r) == ">= v9.0.0, < v10"
    assert r.contains("v9.0.0") and r.contains("v9.99.99") and r.contains("v9.5.1+build.7")
    assert not r.contains("v8.9.9") and not r.contains("v10.0.0") and not r.contains("v10.1.0")
    # A pre-release of v10 sorts before v10.0.0, so it is inside `< v10`.
    assert r.contains("v10.0.0-rc.1")
    assert not r.contains("v9.0.0-rc.1")


def test_range_of_go_releases() -> None:
    r = VersionRange.parse(">= 1.22")
    for v in ("1.22", "1.22.0", "go1.22.3", "1.26.8", "go1.26.8", "2.0"):
        assert r.contains(v), v
    for v in ("1.21.13", "go1.21", "1.22.0-rc.1"):
        assert not r.contains(v), v


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("> 1.22", ["1.22.1", "1.23"], ["1.22", "1.22.0"]),
        ("<= 1.22", ["1.22.0", "1.21"], ["1.22.1"]),
        ("< 1.23", ["1.22.99"], ["1.23", "go1.26.8"]),
        ("= v1.2", ["v1.2.0", "1.2"], ["v1.2.1", "v1.2.0-rc.1"]),
        ("=v1.2.0,>=v1.0", ["v1.2.0"], ["v1.3.0"]),
        (" >= 1.23 ,  < 1.27 ", ["go1.26.8"], ["1.27.0", "1.22.9"]),
        (">= 1.30, < 1.20", [], ["1.25", "1.30", "1.19"]),
    ],
)
def test_operators(text: str, inside: list[str], outside: list[str]) -> None:
    r = VersionRange.parse(text)
    assert all(r.contains(v) for v in inside)
    assert not any(r.contains(v) for v in outside)


def test_any_contains_everything() -> None:
    r = VersionRange.any()
    assert str(r) == "any" and r.clauses == ()
    assert r.contains("v0.0.0-20240701130421-f6361c86f094") and r.contains("go1.26.8")


def test_contains_rejects_a_non_version() -> None:
    with pytest.raises(VersionError):
        VersionRange.parse(">= 1.22").contains("devel +abc")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty version range"),
        ("   ", "empty version range"),
        ("1.22", "'1.22' is not a version constraint"),
        (">= 1.22, banana", "'banana' is not a version constraint"),
        (">= 1.22,", "'' is not a version constraint"),
        (">= 1.22 < 1.23", "is not a version constraint"),
        ("=> 1.22", "is not a version constraint"),
        ("!= 1.22", "is not a version constraint"),
        (">= 1.x", "'1.x' is not a version"),
        (">= v1.2.3.4", "is not a version"),
    ],
)
def test_malformed_ranges(text: str, message: str) -> None:
    with pytest.raises(VersionError, match=message.replace("(", r"\(")):
        VersionRange.parse(text)
