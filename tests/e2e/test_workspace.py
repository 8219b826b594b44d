"""A go.work workspace of two modules, built from its root and from inside
one module: instrumented, linked spans, and neither go.work nor any go.mod
touched (rulec points the go command at its own copy through GOWORK)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.gomod import rulec, snapshot

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

LIB = """package lib

import "net/http"

// Get is the workspace's shared HTTP client code.
func Get(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
"""

APP = """package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"example.com/lib"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	fmt.Println(lib.Get(srv.URL + "/items/3"))
}
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "app").mkdir(parents=True)
    (root / "lib").mkdir()
    (root / "lib" / "go.mod").write_text("module example.com/lib\n\ngo 1.23\n")
    (root / "lib" / "lib.go").write_text(LIB)
    (root / "app" / "go.mod").write_text("module example.com/app\n\ngo 1.23\n\nrequire example.com/lib v0.0.0\n")
    (root / "app" / "main.go").write_text(APP)
    (root / "go.work").write_text("go 1.23\n\nuse (\n\t./app\n\t./lib\n)\n\nreplace example.com/lib v0.0.0 => ./lib\n")
    return root


@pytest.mark.parametrize("where", ["root", "module"])
def test_workspace_build(work: Path, tmp_path: Path, receiver: OtlpReceiver, where: str) -> None:
    before = snapshot(work)
    binary = tmp_path / "app"
    cwd, target = (work, "./app") if where == "root" else (work / "app", ".")
    proc = rulec("build", "-o", str(binary), target, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert "plugins: lifecycle, logcorrelation, nethttp" in proc.stderr
    assert snapshot(work) == before

    service = f"ws-{where}"
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": service, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "200 <nil>", out.stderr
    spans = receiver.wait_for(lambda got: len([s for s in got if s.service_name == service]) >= 2, timeout=20)
    mine = [s for s in spans if s.service_name == service]
    client = next(s for s in mine if s.kind == "CLIENT")
    server = next(s for s in mine if s.kind == "SERVER")
    assert server.parent_span_id == client.span_id and server.name == "GET /items/{id}"
