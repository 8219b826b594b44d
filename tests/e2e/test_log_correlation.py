"""Log-trace correlation end to end: log/slog and log records written while
serving a request carry the request's trace_id and span_id (from the call's
context or, when it got none, the goroutine's), and only then."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.gomod import rulec, write_module
from support.procs import free_port, get, service

from view.receiver import OtlpReceiver
from view.spans import Span

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"context"
	"log"
	"log/slog"
	"net/http"
	"os"
)

func main() {
	log.SetFlags(0)
	jsonLog := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	log.Println("starting") // outside any request: no ids
	http.HandleFunc("GET /logs", func(w http.ResponseWriter, r *http.Request) {
		jsonLog.Info("json without context")
		jsonLog.InfoContext(r.Context(), "json with context", "user", 42)
		jsonLog.LogAttrs(context.Background(), slog.LevelWarn, "json attrs", slog.Int("n", 1))
		slog.Info("default slog") // the default handler writes through package log
		log.Printf("printf %d", 7)
		log.Print("with newline\\n")
		done := make(chan struct{})
		go func() { log.Println("from a goroutine"); close(done) }()
		<-done
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""


@pytest.fixture(scope="module")
def logging_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_module(tmp_path_factory.mktemp("logs") / "app", "example.com/logs", {"main.go": MAIN})
    binary = root / "app"
    proc = rulec("build", "-o", str(binary), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "logcorrelation" in proc.stderr
    return binary


def _run(binary: Path, receiver: OtlpReceiver, extra: dict[str, str]) -> tuple[list[str], str]:
    addr = f"127.0.0.1:{free_port()}"
    env = {"ADDR": addr, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_BSP_SCHEDULE_DELAY": "50", **extra}
    with service(binary, env, f"http://{addr}/healthz") as proc:
        assert get(f"http://{addr}/logs")[0] == 200

        def ours(got: list[Span]) -> list[Span]:
            return [s for s in got if s.attributes.get("url.path") == "/logs" and s.resource.get("process.pid") == proc.pid]

        (server,) = ours(receiver.wait_for(lambda got: bool(ours(got)), 20))
        proc.kill()
        out = proc.communicate()[0].decode()
    return out.splitlines(), f"trace_id={server.trace_id} span_id={server.span_id}"


def test_records_in_a_request_carry_its_ids(logging_app: Path, receiver: OtlpReceiver) -> None:
    lines, ids = _run(logging_app, receiver, {})
    trace_id, span_id = re.findall(r"=(\w+)", ids)
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert [r["msg"] for r in records] == ["json without context", "json with context", "json attrs"]
    for r in records:
        assert (r["trace_id"], r["span_id"]) == (trace_id, span_id), r
    assert records[1]["user"] == 42 and records[2]["n"] == 1
    text = [line for line in lines if not line.startswith("{") and not line.startswith("rulec:")]
    assert "starting" in text  # before any request: untouched
    assert f"INFO default slog {ids}" in text  # once, not twice
    assert f"printf 7 {ids}" in text
    assert f"with newline {ids}" in text
    assert f"from a goroutine {ids}" in text


def test_switched_off_by_environment(logging_app: Path, receiver: OtlpReceiver) -> None:
    lines, _ = _run(logging_app, receiver, {"RULEC_LOG_CORRELATION": "false"})
    assert not [line for line in lines if "trace_id" in line]
    assert "printf 7" in lines
