"""`rulec test` and `rulec run` instrument like `rulec build`: spans from a
test binary (flushed on its os.Exit) and from `go run` (flushed when main returns)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.gomod import rulec, write_module

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

# A server and a client in one process: the client span must parent the server span.
PINGPONG = """package pingpong

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
)

func PingPong(path string) (string, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ping/{n}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "pong %s", r.PathValue("n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}
"""

TEST = """package pingpong

import "testing"

func TestPingPong(t *testing.T) {
	got, err := PingPong("/ping/7")
	if err != nil || got != "pong 7" {
		t.Fatalf("got %q, %v", got, err)
	}
}
"""

MAIN = """package main

import (
	"fmt"
	"os"

	"example.com/pingpong"
)

func main() {
	got, err := pingpong.PingPong("/ping/" + os.Args[1])
	fmt.Println(got, err)
}
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    files = {"pingpong.go": PINGPONG, "pingpong_test.go": TEST, "cmd/pp/main.go": MAIN}
    return write_module(tmp_path / "pingpong", "example.com/pingpong", files)


def _linked_pair(receiver: OtlpReceiver, path: str, service: str) -> tuple[Span, Span]:
    def pair(spans: list[Span]) -> list[Span]:
        return [
            s for s in spans if s.service_name == service and s.attributes.get("url.path", s.attributes.get("url.full", "")).endswith(path)
        ]

    spans = pair(receiver.wait_for(lambda got: len(pair(got)) >= 2, timeout=20))
    server = next(s for s in spans if s.kind == "SERVER")
    client = next(s for s in spans if s.kind == "CLIENT")
    assert server.trace_id == client.trace_id and server.parent_span_id == client.span_id
    assert server.name == "GET /ping/{n}"
    return client, server


def test_rulec_test_traces_the_tests(module: Path, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "pingpong-test"}
    proc = rulec("test", "-count=1", "-run", "TestPingPong", "./...", cwd=module, env=otel)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok  \texample.com/pingpong" in proc.stdout
    assert "rulec: instrumented" in proc.stderr
    _linked_pair(receiver, "/ping/7", "pingpong-test")


def test_rulec_run_passes_program_arguments(module: Path, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "pingpong-run"}
    proc = rulec("run", "./cmd/pp", "42", cwd=module, env=otel)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "pong 42 <nil>"
    _linked_pair(receiver, "/ping/42", "pingpong-run")


def test_failing_test_keeps_go_test_exit_status(module: Path) -> None:
    (module / "pingpong_test.go").write_text(TEST.replace('"pong 7"', '"pong 8"'))
    proc = rulec("test", "-count=1", ".", cwd=module)
    assert proc.returncode == 1
    assert "--- FAIL: TestPingPong" in proc.stdout


def test_packages_with_only_tests_link_the_runtime(module: Path, receiver: OtlpReceiver) -> None:
    # Integration-test directories often hold nothing but _test.go files:
    # their test binaries link the instrumented net/http, so they need the runtime.
    internal, external = module / "itest", module / "xtest"
    internal.mkdir()
    external.mkdir()
    (internal / "i_test.go").write_text(
        TEST.replace("package pingpong", 'package itest\n\nimport "example.com/pingpong"').replace(
            'import "testing"', 'import "testing"\n\nvar PingPong = pingpong.PingPong'
        )
    )
    (external / "x_test.go").write_text(
        TEST.replace("package pingpong", "package xtest_test").replace(
            'import "testing"', 'import (\n\t"testing"\n\n\t. "example.com/pingpong"\n)'
        )
    )
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "pingpong-itest"}
    proc = rulec("test", "-count=1", "./itest", "./xtest", cwd=module, env=otel)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok  \texample.com/pingpong/itest" in proc.stdout and "ok  \texample.com/pingpong/xtest" in proc.stdout
    _linked_pair(receiver, "/ping/7", "pingpong-itest")


def test_race_and_cover(module: Path, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "pingpong-race"}
    proc = rulec("test", "-race", "-cover", "-coverpkg=./...", "-count=1", "./...", cwd=module, env=otel, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "coverage: " in proc.stdout and "WARNING: DATA RACE" not in proc.stdout
    _linked_pair(receiver, "/ping/7", "pingpong-race")


LOAD_TEST = """package pingpong

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// 16 clients x 25 requests against one server: the race detector watches
// rulec's hooks and runtime on both sides.
func TestConcurrentLoad(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /load/{n}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.PathValue("n")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var wg sync.WaitGroup
	for c := 0; c < 16; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				resp, err := http.Get(srv.URL + "/load/x")
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
}
"""


def test_race_detector_under_concurrent_load(module: Path, receiver: OtlpReceiver) -> None:
    (module / "load_test.go").write_text(LOAD_TEST)
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "pingpong-load", "OTEL_BSP_SCHEDULE_DELAY": "50"}
    proc = rulec("test", "-race", "-count=1", "-run", "TestConcurrentLoad", ".", cwd=module, env=otel, timeout=1200)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "DATA RACE" not in proc.stdout + proc.stderr

    def servers(spans: list[Span]) -> list[Span]:
        return [s for s in spans if s.service_name == "pingpong-load" and s.kind == "SERVER"]

    spans = receiver.wait_for(lambda got: len(servers(got)) >= 400, timeout=30)
    assert len(servers(spans)) == 400
    assert {s.name for s in servers(spans)} == {"GET /load/{n}"}


def test_a_standard_package_as_the_root_builds_its_tests_uninstrumented(module: Path) -> None:
    # database/sql is advised, but its test binary has no package of the
    # user's to link rulec's runtime: rulec leaves it as go builds it, and says so.
    proc = rulec("test", "-count=1", "-run", "^TestQuery$", "database/sql", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert "ok  \tdatabase/sql" in proc.stdout
    assert "relocation target" not in proc.stderr
    assert "rulec: instrumented 0 packages" in proc.stderr
    assert "rulec: note: database/sql: standard-library packages built as roots cannot link rulec's runtime" in proc.stderr
