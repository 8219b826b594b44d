"""The runtime's exporters, linked on demand: OTLP over HTTP/protobuf always
(rulec's own encoding, checked here by the real receiver's protobuf
decoding), OTLP/gRPC and Prometheus where the application uses gRPC or the
Prometheus client, or rulec.toml asks. A binary without one says so in one
line when asked for it at run time, and exports over OTLP/HTTP."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.gomod import ROOT, build_app, copy_module, rulec
from support.procs import free_port, get, service
from support.shop import backend_running

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

MIB = 1024 * 1024


def test_a_stdlib_service_grows_by_at_most_6_mib(shop, plain_shop: Path) -> None:
    grown = (shop.backend.stat().st_size - (plain_shop / "backend").stat().st_size) / MIB
    assert grown <= 6, f"rulec's backend is {grown:.1f} MiB larger than go build's"
    assert b"google.golang.org/grpc" not in shop.backend.read_bytes()  # no gRPC in a service that has none


def test_grpc_asked_of_a_binary_without_it(shop, receiver: OtlpReceiver) -> None:
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_METRICS_EXPORTER": "prometheus",
        "OTEL_SERVICE_NAME": "hinted",
        "OTEL_METRIC_EXPORT_INTERVAL": "200",
    }
    with backend_running(shop.backend, otel) as (url, proc):
        assert get(f"{url}/orders/41")[0] == 200
        spans = receiver.wait_for(lambda got: any(s.service_name == "hinted" and s.name == "GET /orders/{id}" for s in got), timeout=20)
        deadline = time.monotonic() + 20
        while not any(p.resource.get("service.name") == "hinted" for p in receiver.metrics()):
            assert time.monotonic() < deadline, "no metrics over OTLP"
            time.sleep(0.1)
        proc.terminate()
        stderr, _ = proc.communicate(timeout=15)  # stderr goes to its stdout pipe
    (span,) = [s for s in spans if s.service_name == "hinted" and s.name == "GET /orders/{id}"]
    assert span.attributes["http.response.status_code"] == 200 and span.attributes["url.path"] == "/orders/41"
    lines = [ln for ln in stderr.decode().splitlines() if "this binary has no" in ln]
    assert lines == [
        "rulec: OTEL_EXPORTER_OTLP_PROTOCOL=grpc: this binary has no gRPC exporter (rulec links it into applications that use "
        'gRPC, or with `exporters = ["otlp-grpc"]` under [runtime] in rulec.toml); exporting over http/protobuf instead',
        "rulec: OTEL_METRICS_EXPORTER=prometheus: this binary has no Prometheus exporter (rulec links it into applications "
        'that use Prometheus, or with `exporters = ["prometheus"]` under [runtime] in rulec.toml); exporting metrics over OTLP instead',
    ], stderr.decode()


GRPC_APP = """package main

import (
	"fmt"
	"net/http"
	"os"

	"google.golang.org/grpc"
)

func main() {
	_ = grpc.NewServer() // the application uses gRPC: rulec links its OTLP/gRPC exporter
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	http.HandleFunc("GET /ping", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "pong") })
	if err := http.ListenAndServe(os.Getenv("ADDR"), nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
"""


def test_an_app_that_uses_grpc_exports_over_grpc(receiver: OtlpReceiver, tmp_path: Path) -> None:
    binary = build_app(tmp_path, "example.com/grpcuser", {"main.go": GRPC_APP}, ["google.golang.org/grpc@v1.64.0"])
    addr = f"127.0.0.1:{free_port()}"
    env = {
        "ADDR": addr,
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.grpc_endpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
        "OTEL_SERVICE_NAME": "grpc-user",
        "OTEL_BSP_SCHEDULE_DELAY": "50",
    }
    with service(binary, env, f"http://{addr}/healthz") as proc:
        assert get(f"http://{addr}/ping")[0] == 200
        spans = receiver.wait_for(lambda got: any(s.service_name == "grpc-user" and s.name == "GET /ping" for s in got), timeout=20)
        proc.terminate()
        stderr, _ = proc.communicate(timeout=15)  # stderr goes to its stdout pipe
    assert [s for s in spans if s.service_name == "grpc-user" and s.kind == "SERVER"]
    assert b"this binary has no" not in stderr


def test_rulec_toml_names_only_known_exporters(tmp_path: Path) -> None:
    module = copy_module(ROOT / "examples" / "shop", tmp_path / "shop")
    (module / "rulec.toml").write_text('[runtime]\nexporters = ["zipkin"]\n')
    proc = rulec("build", "-o", str(tmp_path / "backend"), "./backend", cwd=module)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"rulec: {module / 'rulec.toml'}: key 'runtime.exporters': unknown exporter 'zipkin' (known: otlp-grpc, prometheus)"
    )
