"""`rulec check --releases`: module and standard-library targets against the real source of the
oldest and newest release inside each range, fetched through the module
proxy by the go command (network: the Go module proxy)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from test_check_cli import DIAG, ENV, HERE, ROOT, rel, rulec


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


def test_where_the_proxy_lists_no_versions_the_lower_bound_and_the_tested_release_are_checked(tmp_path: Path) -> None:
    # A file:// proxy holding two releases of httprouter and no list of them,
    # as the module proxy here serves some modules.
    cached = Path(subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip())
    for version in ("v1.2.0", "v1.3.0"):
        subprocess.run(["go", "mod", "download", f"github.com/julienschmidt/httprouter@{version}"], cwd=tmp_path, env=ENV, check=True)
    served = tmp_path / "proxy" / "github.com" / "julienschmidt" / "httprouter" / "@v"
    served.mkdir(parents=True)
    for name in ("v1.2.0.info", "v1.2.0.mod", "v1.2.0.zip", "v1.3.0.info", "v1.3.0.mod", "v1.3.0.zip"):
        shutil.copy(cached / "cache" / "download" / "github.com" / "julienschmidt" / "httprouter" / "@v" / name, served)
    env = {**ENV, "GOPROXY": f"file://{tmp_path / 'proxy'}", "GOSUMDB": "off", "GOMODCACHE": str(tmp_path / "modcache")}
    proc = subprocess.run([sys.executable, "-m", "rulec", "check", "--releases", rel("releases_tested.gorule")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    subprocess.run(["go", "clean", "-modcache"], env=env, check=True)  # its files are read-only
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2 and all("error[unknown-target]" in line for line in lines), lines
    assert "httprouter@v1.2.0" in lines[0] and "httprouter@v1.3.0" in lines[1]


def test_a_tested_release_outside_the_range_is_an_error(tmp_path: Path) -> None:
    rule = tmp_path / "outside.gorule"
    rule.write_text((HERE / "releases_tested.gorule").read_text().replace('tested "v1.3.0"', 'tested "v1.1.0"'))
    proc = rulec("check", str(rule))
    assert proc.returncode == 1
    assert "error[version-range]: tested 'v1.1.0' must be a module release (vX.Y.Z) inside the range >= v1.2.0" in proc.stdout
