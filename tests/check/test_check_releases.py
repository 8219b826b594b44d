"""`rulec check --releases`: module and standard-library targets against the real source of the
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


def test_a_standard_library_target_missing_from_the_oldest_go_is_reported() -> None:
    proc = rulec("check", "--releases", rel("releases_std.gorule"))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    # Go 1.26 added it: the oldest release and 1.25's newest patch lack it.
    versions = [line.split("toolchain@v0.0.1-go", 1)[1].split(".linux")[0] for line in lines]
    assert len(versions) == 2 and versions[0] == "1.25.0" and versions[1].startswith("1.25."), lines
    for line in lines:
        m = DIAG.match(line)
        assert m and (m["line"], m["col"], m["code"]) == ("10", "5", "unknown-target"), line
        assert "NewMultiHandler does not exist" in line


def test_a_standard_library_range_outside_the_tested_go_releases_is_reported() -> None:
    proc = rulec("check", "--releases", rel("releases_std_old.gorule"))
    assert proc.returncode == 1
    assert "error[no-release]: no Go release rulec is tested with (1.25 to 1.27) is inside < 1.20" in proc.stdout
