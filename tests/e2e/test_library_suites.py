"""`rulec test` inside a checkout of a library rulec's runtime itself depends
on: the library's own test suite passes and fails exactly as under `go
test`, and the instrumented run emits spans. The checkouts are the real
module sources, from the module proxy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.gomod import rulec

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

# (module, version, packages to test, tests skipped in both runs): chi's
# middleware package is left out, its tests sleep through some 26 s of
# timeouts; gin's TestSaveUploadedCreateFailed, run as root (as CI is), changes
# the mode of / to 0750 (it saves a file "into" / and expects to fail), and
# the database servers' users can then no longer reach their files.
SUITES = [
    ("github.com/gin-gonic/gin", "v1.12.0", "./...", "TestSaveUploadedCreateFailed"),
    ("github.com/go-chi/chi/v5", "v5.5.0", ".", ""),
]


def _checkout(module: str, version: str, dest: Path) -> Path:
    proc = subprocess.run(["go", "mod", "download", "-json", f"{module}@{version}"], capture_output=True, text=True, cwd=dest.parent)
    assert proc.returncode == 0, proc.stderr
    shutil.copytree(json.loads(proc.stdout)["Dir"], dest)
    for dirpath, dirnames, filenames in os.walk(dest):  # the module cache's files are read-only
        for name in (*dirnames, *filenames):
            os.chmod(os.path.join(dirpath, name), 0o755 if name in dirnames else 0o644)
    return dest


def _outcomes(stdout: str) -> dict[tuple[str, str], str]:
    """(package, test) → pass/fail/skip, from `go test -json`."""
    out = {}
    for line in stdout.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("Action") in ("pass", "fail", "skip"):
                out[(event.get("Package", ""), event.get("Test", ""))] = event["Action"]
    return out


@pytest.mark.parametrize(("module", "version", "packages", "skip"), SUITES, ids=[s[0].split("/")[2] for s in SUITES])
def test_a_dependency_of_the_runtime_passes_its_own_suite_instrumented(
    module: str, version: str, packages: str, skip: str, receiver: OtlpReceiver, tmp_path: Path
) -> None:
    checkout = _checkout(module, version, tmp_path / "checkout")
    args = ["test", "-json", "-count=1", *([f"-skip=^{skip}$"] if skip else []), packages]
    plain = subprocess.run(["go", *args], cwd=checkout, capture_output=True, text=True, timeout=900)
    service_name = f"suite-{module.split('/')[2]}"
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": service_name, "OTEL_BSP_SCHEDULE_DELAY": "50"}
    ours = rulec(*args, cwd=checkout, env=env, timeout=900)

    assert ours.returncode == plain.returncode, ours.stderr[-3000:]
    plugin = module.split("/")[2]
    assert f"plugins: {plugin}, " in ours.stderr, ours.stderr  # its own rule advises its own code
    expected, got = _outcomes(plain.stdout), _outcomes(ours.stdout)
    assert len(expected) > 20 and got == expected
    spans = receiver.wait_for(lambda got: any(s.service_name == service_name for s in got), timeout=20)
    assert any(s.service_name == service_name and s.kind == "SERVER" for s in spans)
