"""Log-trace correlation end to end: log/slog and log records written while
serving a request carry the request's trace_id and span_id (from the call's
context or, when it got none, the goroutine's), and only then."""

from __future__ import annotations

import json
import re

import pytest
from support.plugin_e2e import App, PluginCase, app_fixture

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

# log and log/slog come with Go: one build, with the standard library alone.
app = app_fixture(PluginCase(plugins=("logcorrelation",), versions={"stdlib": []}, program={"main.go": MAIN}))


def _run(app: App, **env: str) -> tuple[list[str], str]:
    with app.running(**env) as live:
        assert live.get("/logs")[0] == 200
        (server,) = [s for s in live.wait_spans("GET /logs", timeout=20) if s.name == "GET /logs"]
        out = live.output()
    return out.splitlines(), f"trace_id={server.trace_id} span_id={server.span_id}"


def test_records_in_a_request_carry_its_ids(app: App) -> None:
    lines, ids = _run(app)
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


def test_switched_off_by_environment(app: App) -> None:
    lines, _ = _run(app, RULEC_LOG_CORRELATION="false")
    assert not [line for line in lines if "trace_id" in line]
    assert "printf 7" in lines
