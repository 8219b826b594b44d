"""A dead exporter costs the application nothing it would notice: with the
OTLP endpoint a black hole (it accepts connections and never answers), the
service keeps answering and its memory stays bounded, because the span
queue is bounded and full batches are dropped, never held.

Only memory is asserted here (speed is for bench/: docs/benchmarks.md)."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.shop import backend_running

pytestmark = pytest.mark.e2e


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An endpoint that takes connections into its backlog and never reads."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1024)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def _requests(base: str, n: int) -> None:
    host = base.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        for i in range(n):
            conn.request("GET", f"/orders/{i}")
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
    finally:
        conn.close()


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_stays_bounded_with_a_black_hole_exporter(shop, black_hole: str) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": black_hole, "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_METRIC_EXPORT_INTERVAL": "200"}
    with backend_running(shop.backend, otel) as (url, proc):
        _requests(url, 3000)  # the span queue (2048) fills and stays full from here
        settled = _rss_kib(proc.pid)
        _requests(url, 12000)
        after = _rss_kib(proc.pid)
        assert proc.poll() is None
    growth_mib = (after - settled) / 1024
    print(f"RSS after 3,000 requests {settled / 1024:.1f} MiB, after 15,000 {after / 1024:.1f} MiB")
    # Unbounded buffering would hold 12,000 more spans (several MiB each
    # thousand); a bounded queue holds what it held.
    assert growth_mib < 8, (settled, after)
