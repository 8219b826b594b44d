"""A module built from vendor/: rulec builds it instrumented, leaves vendor/,
vendor/modules.txt, go.mod and go.sum untouched, and says how its build
differs (module versions from the module cache, not vendor/)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.gomod import go, rulec, snapshot, write_module

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"golang.org/x/text/language"
)

func main() {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/" + language.English.String())
	fmt.Println(resp.StatusCode, err)
}
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    root = write_module(tmp_path / "vend", "example.com/vend", {"main.go": MAIN}, "require golang.org/x/text v0.16.0\n")
    for args in (("mod", "tidy"), ("mod", "vendor")):
        proc = go(*args, cwd=root)
        assert proc.returncode == 0, proc.stderr
    assert (root / "vendor" / "modules.txt").exists()
    return root


@pytest.mark.parametrize("flags", [[], ["-mod=vendor"], ["-mod", "vendor"]])
def test_vendored_module(module: Path, tmp_path: Path, receiver: OtlpReceiver, flags: list[str]) -> None:
    before = snapshot(module)
    binary = tmp_path / "bin"
    proc = rulec("build", *flags, "-o", str(binary), ".", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert "rulec: note: vendor/ is read by plain go builds only" in proc.stderr
    assert snapshot(module) == before

    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "vendored"}
    out = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "404 <nil>", out.stderr
    spans = receiver.wait_for(lambda got: any(s.service_name == "vendored" and s.kind == "SERVER" for s in got), timeout=20)
    server = next(s for s in spans if s.service_name == "vendored" and s.kind == "SERVER")
    assert server.attributes["url.path"] == "/en"
