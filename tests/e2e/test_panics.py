"""A handler's panic is recorded on its server span (an `exception` event with
the stack, error status) and then goes on exactly as without rulec: net/http
recovers it and logs it, and the client sees the connection drop."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.gomod import go, rulec, write_module

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	_, err := http.Get(srv.URL + "/boom")
	fmt.Println("client error:", err != nil)
}
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return write_module(tmp_path / "boom", "example.com/boom", {"main.go": MAIN})


def test_handler_panic_recorded_and_passed_on(module: Path, tmp_path: Path, receiver: OtlpReceiver) -> None:
    plain, traced = tmp_path / "plain", tmp_path / "traced"
    assert go("build", "-o", str(plain), ".", cwd=module).returncode == 0
    proc = rulec("build", "-o", str(traced), ".", cwd=module)
    assert proc.returncode == 0, proc.stderr
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "boom"}
    runs = [subprocess.run([str(b)], env=env, capture_output=True, text=True, timeout=60) for b in (plain, traced)]
    for run in runs:
        assert run.returncode == 0 and run.stdout.strip() == "client error: true", run.stderr
        assert "http: panic serving" in run.stderr and "boom" in run.stderr  # net/http's own recovery
        assert "main.main.func1" in run.stderr  # the stack still shows the handler that panicked

    spans = receiver.wait_for(lambda got: any(s.service_name == "boom" and s.kind == "SERVER" for s in got), timeout=20)
    server = next(s for s in spans if s.service_name == "boom" and s.kind == "SERVER")
    assert server.name == "GET /boom" and server.status_code == "ERROR"
    (name, attrs), *_ = server.events
    assert name == "exception"
    assert attrs["exception.message"] == "boom" and attrs["exception.type"] == "string"
    assert f"{module}/main.go:" in attrs["exception.stacktrace"]
