"""The example OpenTelemetry Collector (examples/collector): built once from its
Go modules, kept in a cache keyed by its sources, and run with its own config."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support.gomod import ROOT, go
from support.procs import free_port, get, service

SOURCE = ROOT / "examples" / "collector"
CONFIG = SOURCE / "collector.yaml"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rulec-tests"


def _source_key() -> str:
    """What the binary is built from: its module files and the Go release."""
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum", "main.go"):
        digest.update((SOURCE / name).read_bytes())
    version = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout
    digest.update(version.encode())
    return digest.hexdigest()[:16]


def collector_binary() -> Path:
    """The collector built from examples/collector with `go build` (modules from
    the module proxy, the shared GOCACHE); built again only when its sources
    or the Go release change."""
    binary = _cache_dir() / f"collector-{_source_key()}" / "rulec-collector"
    if binary.exists():
        return binary
    binary.parent.mkdir(parents=True, exist_ok=True)
    # Built beside its final name and renamed, so a parallel run never runs half a file.
    with tempfile.TemporaryDirectory(dir=binary.parent) as tmp:
        proc = go("build", "-o", f"{tmp}/rulec-collector", ".", cwd=SOURCE)
        assert proc.returncode == 0, proc.stderr
        os.replace(f"{tmp}/rulec-collector", binary)
    return binary


@dataclass(frozen=True)
class Collector:
    proc: subprocess.Popen[bytes]
    otlp_http: str  # what services put in OTEL_EXPORTER_OTLP_ENDPOINT
    otlp_grpc: str
    metrics_url: str  # the collector's own metrics, Prometheus text
    log: Path

    def metrics(self) -> dict[str, float]:
        """Its own metrics: one value per series, keyed as the exposition writes it."""
        status, body, _ = get(self.metrics_url)
        assert status == 200, body
        series: dict[str, float] = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                key, value = line.rsplit(" ", 1)
                series[key] = float(value)
        return series


@contextmanager
def collector_running(binary: Path, view_otlp: str, fleet_otlp: str, log: Path) -> Iterator[Collector]:
    """The collector with examples/collector/collector.yaml, receiving on free
    loopback ports and exporting to the two OTLP/HTTP endpoints."""
    http_port, grpc_port, metrics_port = free_port(), free_port(), free_port()
    env = {
        "OTLP_HTTP_PORT": str(http_port),
        "OTLP_GRPC_PORT": str(grpc_port),
        "COLLECTOR_METRICS_PORT": str(metrics_port),
        "VIEW_OTLP": view_otlp,
        "FLEET_OTLP": fleet_otlp,
    }
    otlp_http = f"http://127.0.0.1:{http_port}"
    # Receivers start last, once the exporters and processors behind them run.
    with service(binary, env, otlp_http + "/v1/traces", args=("--config", str(CONFIG)), log=log) as proc:
        yield Collector(proc, otlp_http, f"http://127.0.0.1:{grpc_port}", f"http://127.0.0.1:{metrics_port}/metrics", log)
