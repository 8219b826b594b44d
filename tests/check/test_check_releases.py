"""`rulec check --releases`: module targets against the real source of the
oldest and newest release inside each range, fetched through the module
proxy by the go command (network: the Go module proxy)."""

from __future__ import annotations

from test_check_cli import DIAG, rel, rulec


def test_a_target_missing_from_the_oldest_release_is_reported() -> None:
    proc = rulec("check", "--releases", rel("releases_otelhttp.gorule"))
    assert proc.returncode == 1
    (line,) = proc.stdout.splitlines()
    m = DIAG.match(line)
    assert m and (m["line"], m["col"], m["code"]) == ("15", "5", "unknown-target"), line
    assert "NewMiddleware does not exist" in line and "otelhttp@v0.42.0" in line
    # Without --releases only the newest cached version is read: no problem.
    assert rulec("check", rel("releases_otelhttp.gorule")).returncode == 0


def test_a_range_without_releases_is_reported() -> None:
    proc = rulec("check", "--releases", rel("releases_none.gorule"))
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{rel('releases_none.gorule')}:6:1: error[no-release]: no release of ")


def test_builtin_rules_pass_against_their_releases() -> None:
    proc = rulec("check", "--releases")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.endswith("no problems\n")
