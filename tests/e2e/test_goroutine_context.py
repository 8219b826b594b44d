"""Context the application never threads: a goroutine started by a handler
without a context.Context, a call made with context.Background(), and a
traced function two goroutines down all join the request's trace, through
the goroutine context rulec adds to the Go runtime."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import rulec, write_module
from support.procs import free_port, get, service

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
)

var base = "http://" + os.Getenv("ADDR")

// fetch uses http.Get: the default client, context.Background().
func fetch(path string) {
	resp, err := http.Get(base + path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// report is traced by a declarative span rule; it takes no context.
func report(wg *sync.WaitGroup) {
	defer wg.Done()
	fetch("/work?from=report")
}

func detached(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // no context handed over
		defer wg.Done()
		fetch("/work?from=goroutine")
	}()
	go func() {
		go report(&wg) // two goroutines down
	}()
	wg.Wait()
	fetch("/work?from=background") // on the handler's goroutine, without r.Context()
	fmt.Fprintln(w, "done")
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /detached", detached)
	mux.HandleFunc("GET /work", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	go func() { // a worker started before any request belongs to no trace
		for i := 0; i < 200; i++ {
			if resp, err := http.Get(base + "/healthz"); err == nil {
				resp.Body.Close()
				fetch("/work?from=worker")
				return
			}
		}
	}()
	http.ListenAndServe(os.Getenv("ADDR"), mux)
}
"""

RULES = """plugin detached

import app "example.com/detached"

target module "example.com/detached"

rule report {
    on call app.report
    span "report"
}
"""


def _one(spans: list[Span], **where: object) -> Span:
    found = [s for s in spans if all((s.attributes.get(k) if k != "name" else s.name) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


def test_unthreaded_context_joins_the_request(tmp_path: Path, receiver: OtlpReceiver) -> None:
    root = write_module(tmp_path / "detached", "example.com/detached", {"main.go": MAIN})
    rules = tmp_path / "detached.gorule"
    rules.write_text(RULES)
    binary = tmp_path / "detached-bin"
    proc = rulec("build", "--rules", str(rules), "-o", str(binary), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "goroutine context" in proc.stderr

    addr = f"127.0.0.1:{free_port()}"
    env = {"ADDR": addr, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_BSP_SCHEDULE_DELAY": "50",
           "OTEL_SERVICE_NAME": "detached"}
    with service(binary, env, f"http://{addr}/healthz"):
        assert get(f"http://{addr}/detached")[0] == 200

        def complete(spans: list[Span]) -> bool:
            paths = [s.attributes.get("url.full", "") for s in spans if s.service_name == "detached" and s.kind == "CLIENT"]
            return sum("from=" in str(p) for p in paths) >= 4 and any(s.name == "GET /detached" for s in spans)

        spans = [s for s in receiver.wait_for(complete, timeout=20) if s.service_name == "detached"]

    request = _one(spans, name="GET /detached")
    calls = [s for s in spans if s.kind == "CLIENT" and "from=" in str(s.attributes.get("url.full"))]
    clients = {str(s.attributes["url.full"]).rsplit("=", 1)[1]: s for s in calls}
    report = _one(spans, name="report")
    assert clients["goroutine"].parent_span_id == request.span_id
    assert clients["background"].parent_span_id == request.span_id
    assert report.parent_span_id == request.span_id and report.kind == "INTERNAL"
    assert clients["report"].parent_span_id == report.span_id
    for c in ("goroutine", "background", "report"):
        assert clients[c].trace_id == request.trace_id
    # Every downstream server span is the child of its client span, as usual.
    for server in [s for s in spans if s.kind == "SERVER" and s.attributes.get("url.path") == "/work"]:
        assert any(server.parent_span_id == c.span_id for c in clients.values())
    # A goroutine from before any request joins nothing.
    assert clients["worker"].parent_span_id == "" and clients["worker"].trace_id != request.trace_id
