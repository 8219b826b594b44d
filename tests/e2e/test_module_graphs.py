"""Adding rulec's runtime to a build never lowers a module, never fails
where plain `go build` succeeds, and does not depend on what the module
cache holds: the versions come from the user's module graph and the
runtime's requirements alone, by the go command's MVS."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.gomod import rulec, write_module
from support.procs import free_port, get, service

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

KAFKA_MAIN = """package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/segmentio/kafka-go"
)

func main() {
	broker := os.Getenv("KAFKA_BROKER")
	if broker == "" {
		fmt.Println("no broker")
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w := &kafka.Writer{Addr: kafka.TCP(broker), Topic: "orders"}
	fmt.Println(w.WriteMessages(ctx, kafka.Message{Value: []byte("hello")}))
}
"""

# x/crypto's go.mod requires newer golang.org/x/sys, x/net and x/text than rulec's runtime does.
CRYPTO_MAIN = """package main

import (
	"fmt"
	"net/http"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	hash, _ := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	fmt.Println(bcrypt.CompareHashAndPassword(hash, []byte("secret")) == nil, http.StatusOK)
}
"""


def _go(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["go", *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=900)


def _module(root: Path, path: str, main: str, require: str) -> Path:
    write_module(root, path, {"main.go": main})
    for args in (["get", require], ["mod", "tidy"]):
        proc = _go(*args, cwd=root)
        assert proc.returncode == 0, proc.stderr
    return root


def _deps(binary: Path) -> dict[str, str]:
    """module → version, from the binary's build info."""
    out = _go("version", "-m", str(binary), cwd=binary.parent).stdout
    deps = {}
    for line in out.splitlines():
        fields = line.split()
        if fields and fields[0] in ("dep", "=>") and len(fields) >= 3:
            deps[fields[1]] = fields[2]
    return deps


def _same_versions(module: Path, env: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """Build `module` plainly and with rulec; assert every module both
    binaries contain has the plain build's version, or a higher one that
    rulec reports it raised; return the instrumented deps and rulec's stderr."""
    before = (module / "go.mod").read_text(), (module / "go.sum").read_text()
    plain = _go("build", "-o", str(module / "plain"), ".", cwd=module, env=env)
    assert plain.returncode == 0, plain.stderr
    ours = rulec("build", "-o", str(module / "instrumented"), ".", cwd=module, env=env)
    assert ours.returncode == 0, ours.stderr
    assert ((module / "go.mod").read_text(), (module / "go.sum").read_text()) == before  # never written
    plain_deps, our_deps = _deps(module / "plain"), _deps(module / "instrumented")
    assert plain_deps, "the plain binary names its modules"
    for path, version in plain_deps.items():
        ours_version = our_deps.get(path, version)
        if ours_version != version:
            assert f"rulec: the runtime raised {path} {version} → {ours_version} " in ours.stderr, (path, version)
    return our_deps, ours.stderr


def test_kafka_go_builds_with_its_own_versions_on_any_module_cache(tmp_path: Path) -> None:
    module = _module(tmp_path / "kafka", "example.com/kafkaapp", KAFKA_MAIN, "github.com/segmentio/kafka-go@v0.4.51")
    deps, stderr = _same_versions(module)
    assert deps["github.com/segmentio/kafka-go"] == "v0.4.51" and deps.get("golang.org/x/net", "v0.38.0") == "v0.38.0"
    assert "downgrade" not in stderr
    run = subprocess.run([str(module / "instrumented")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout == "no broker\n", run.stderr

    # The same from an empty module cache: the result never depends on what it held.
    empty = {"GOMODCACHE": str(tmp_path / "modcache"), "GOFLAGS": "-modcacherw -buildvcs=false"}
    try:
        deps_empty, _ = _same_versions(module, empty)
        assert deps_empty == deps
    finally:
        shutil.rmtree(tmp_path / "modcache", ignore_errors=True)


def test_a_module_whose_dependencies_need_newer_golang_x_modules(tmp_path: Path) -> None:
    module = _module(tmp_path / "crypto", "example.com/cryptoapp", CRYPTO_MAIN, "golang.org/x/crypto@v0.45.0")
    deps, _ = _same_versions(module)
    assert deps["golang.org/x/crypto"] == "v0.45.0"


def test_rulec_test_in_a_module_without_graph_pruning(tmp_path: Path) -> None:
    """httprouter v1.3.0's go.mod says `go 1.7`: the go command loads its whole
    module graph, with every go.mod of the runtime's dependencies in it."""
    proc = _go("mod", "download", "-json", "github.com/julienschmidt/httprouter@v1.3.0", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    checkout = tmp_path / "httprouter"
    shutil.copytree(json.loads(proc.stdout)["Dir"], checkout)
    for dirpath, dirnames, filenames in os.walk(checkout):  # the module cache's files are read-only
        for name in (*dirnames, *filenames):
            os.chmod(os.path.join(dirpath, name), 0o755 if name in dirnames else 0o644)
    assert "\ngo 1.7\n" in (checkout / "go.mod").read_text()
    plain = _go("test", "-count=1", "./...", cwd=checkout)
    ours = rulec("test", "-count=1", "./...", cwd=checkout)
    assert plain.returncode == 0, plain.stderr
    assert ours.returncode == 0, ours.stderr
    assert "ok  \tgithub.com/julienschmidt/httprouter" in ours.stdout
    # httprouter's own plugin applies to its own tests, as the other plugins do.
    plugins = set(next(ln for ln in ours.stderr.splitlines() if "plugins: " in ln).split("plugins: ")[1].rstrip(")").split(", "))
    assert {"lifecycle", "logcorrelation", "nethttp", "httprouter"} <= plugins, ours.stderr


GRPC_PROM_MAIN = """package main

import (
	"fmt"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
)

var served = prometheus.NewCounter(prometheus.CounterOpts{Name: "served_total"})

func main() {
	prometheus.MustRegister(served)
	_ = grpc.NewServer()
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	http.HandleFunc("GET /ping", func(w http.ResponseWriter, r *http.Request) { served.Inc(); fmt.Fprint(w, "pong") })
	if err := http.ListenAndServe(os.Getenv("ADDR"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
"""


def test_an_app_on_old_grpc_and_prometheus_keeps_their_versions(receiver: OtlpReceiver, tmp_path: Path) -> None:
    """gRPC v1.58 is below the gRPC plugin's range, and the exporters would
    need gRPC v1.64 and client_golang v1.19: none of their modules joins the
    build, and the core's requirements are below the application's, so no
    module moves: `go version -m` lists the plain build's versions."""
    module = write_module(tmp_path / "app", "example.com/oldgrpc", {"main.go": GRPC_PROM_MAIN})
    for args in (["get", "google.golang.org/grpc@v1.58.0", "github.com/prometheus/client_golang@v1.14.0"], ["mod", "tidy"]):
        proc = _go(*args, cwd=module)
        assert proc.returncode == 0, proc.stderr
    deps, stderr = _same_versions(module)
    assert deps["google.golang.org/grpc"] == "v1.58.0" and deps["github.com/prometheus/client_golang"] == "v1.14.0"
    assert "rule grpc.server SKIPPED: google.golang.org/grpc v1.58.0 is outside >= v1.64.0" in stderr
    assert "the otlp-grpc exporter is not linked: it needs google.golang.org/grpc v1.64.0 (the application has v1.58.0)" in stderr
    prometheus = "github.com/prometheus/client_golang v1.19.1 (the application has v1.14.0)"
    assert f"the prometheus exporter is not linked: it needs {prometheus}" in stderr
    assert "the runtime raised" not in stderr, stderr  # the core's OTel floor (v1.16) needs nothing newer
    plain, ours = _deps(module / "plain"), _deps(module / "instrumented")
    assert {m: ours[m] for m in plain if m in ours} == plain
    plan = rulec("plan", cwd=module)
    assert plan.returncode == 0 and "raised" not in plan.stdout, plan.stdout

    addr = f"127.0.0.1:{free_port()}"
    env = {"ADDR": addr, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "old-grpc"}
    with service(module / "instrumented", env, f"http://{addr}/healthz"):
        assert get(f"http://{addr}/ping")[0] == 200
        receiver.wait_for(lambda got: any(s.service_name == "old-grpc" and s.name == "GET /ping" for s in got), timeout=20)


OTEL_API_MAIN = """package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"go.opentelemetry.io/otel"
)

func main() {
	ctx, span := otel.Tracer("app").Start(context.Background(), "boot")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/ready", nil)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	span.End()
}
"""

OTEL_API = "go.opentelemetry.io/otel@v1.40.0"


def _assert_app_spans_nest(binary: Path, receiver: OtlpReceiver, service_name: str) -> None:
    """The application's own OTel API span is exported by rulec's SDK, with
    rulec's client span under it."""
    env = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": service_name}
    run = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout == "200\n", run.stderr
    spans = receiver.wait_for(lambda got: sum(s.service_name == service_name for s in got) >= 3, timeout=20)
    mine = {s.name: s for s in spans if s.service_name == service_name}
    assert mine["GET"].parent_span_id == mine["boot"].span_id and mine["GET"].kind == "CLIENT"
    assert mine["GET /ready"].parent_span_id == mine["GET"].span_id


def test_an_app_on_a_newer_otel_api_links_the_sdk_of_that_release(receiver: OtlpReceiver, tmp_path: Path) -> None:
    """The API's interfaces grow with each release and only the SDK of the
    same release implements them: the runtime's floor SDK (v1.16) would not
    compile against the application's API v1.40."""
    module = _module(tmp_path / "app", "example.com/otelapi", OTEL_API_MAIN, OTEL_API)
    deps, stderr = _same_versions(module)
    assert deps["go.opentelemetry.io/otel"] == "v1.40.0" and deps["go.opentelemetry.io/otel/sdk"] == "v1.40.0"
    assert deps["go.opentelemetry.io/otel/sdk/metric"] == "v1.40.0"
    _assert_app_spans_nest(module / "instrumented", receiver, "otel-api")


def test_a_workspace_on_a_newer_otel_api_links_the_sdk_of_that_release(receiver: OtlpReceiver, tmp_path: Path) -> None:
    app = _module(tmp_path / "ws" / "app", "example.com/otelapi", OTEL_API_MAIN, OTEL_API)
    go_line = next(ln for ln in (app / "go.mod").read_text().splitlines() if ln.startswith("go "))
    (tmp_path / "ws" / "go.work").write_text(f"{go_line}\n\nuse ./app\n")
    before = {p: p.read_text() for p in (tmp_path / "ws").rglob("go.*")}
    ours = rulec("build", "-o", str(tmp_path / "instrumented"), "./app", cwd=tmp_path / "ws")
    assert ours.returncode == 0, ours.stderr
    assert {p: p.read_text() for p in (tmp_path / "ws").rglob("go.*")} == before  # never written
    assert _deps(tmp_path / "instrumented")["go.opentelemetry.io/otel/sdk"] == "v1.40.0"
    _assert_app_spans_nest(tmp_path / "instrumented", receiver, "otel-api-ws")
