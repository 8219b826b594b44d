"""A main package with cgo is instrumented like any other (the compile gets
cgo's generated main.cgo1.go for main.go), and `rulec vet` reports exactly
what `go vet` reports."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.gomod import go, rulec, write_module

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

MAIN = """package main

/*
static int twice(int x) { return 2 * x; }
*/
import "C"

import (
	"fmt"
	"net/http"
	"net/http/httptest"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /twice/{n}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/twice/21")
	fmt.Println(int(C.twice(21)), resp.StatusCode, err)
}
"""

BAD = """package main

import "fmt"

func bad() { fmt.Printf("%d", "not a number") }
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return write_module(tmp_path / "cg", "example.com/cg", {"main.go": MAIN})


def test_cgo_main_package_is_traced(module: Path, tmp_path: Path, receiver: OtlpReceiver) -> None:
    binary = tmp_path / "cg-bin"
    proc = rulec("build", "-o", str(binary), ".", cwd=module)
    assert proc.returncode == 0, proc.stderr
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "cgo-app"}
    out = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "42 200 <nil>", out.stderr
    spans = receiver.wait_for(lambda got: len([s for s in got if s.service_name == "cgo-app"]) >= 2, timeout=20)
    server = next(s for s in spans if s.service_name == "cgo-app" and s.kind == "SERVER")
    client = next(s for s in spans if s.service_name == "cgo-app" and s.kind == "CLIENT")
    assert server.parent_span_id == client.span_id and server.name == "GET /twice/{n}"


def test_rulec_vet_reports_what_go_vet_reports(module: Path) -> None:
    clean = rulec("vet", ".", cwd=module)
    assert clean.returncode == 0, clean.stderr
    (module / "bad.go").write_text(BAD)
    ours, theirs = rulec("vet", ".", cwd=module), go("vet", ".", cwd=module)
    assert ours.returncode == theirs.returncode == 1
    findings = [ln for ln in theirs.stderr.splitlines() if ln.startswith("bad.go:") or ln.startswith("./bad.go:")]
    assert findings and all(ln in ours.stderr for ln in findings)
