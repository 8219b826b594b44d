"""Beyond one machine (docs/scale.md): the example shop, built with rulec, exports
to a real OpenTelemetry Collector (examples/collector, built from the collector's
Go modules, run with examples/collector/collector.yaml) and never to a view.
The collector fans every trace and metric out to two `rulec view`s, the console
and a stand-in for a fleet's store; both show the same linked traces."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from support.collector import CONFIG, Collector, collector_binary, collector_running
from support.gomod import ROOT
from support.procs import get
from support.shop import shop_running
from support.viewproc import View, rulec_view

pytestmark = pytest.mark.e2e

ORDERS = ("41", "42", "43")
CHECKOUT = "/checkout/{id}"


@pytest.fixture(scope="module")
def collector_bin() -> Path:
    return collector_binary()


def _until(done: Callable[[], bool], what: str) -> None:
    """Wait for data that is on its way: SDK batches every 50 ms, the collector's
    every 200 ms, the view's store commits every 200 ms."""
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.2)


def _api(view: View, path: str, **params: str) -> Any:
    status, body = view.api(path + "?" + urlencode({"last": "1h", **params}))
    assert status == 200, body
    return body


def _checkouts(view: View, **params: str) -> list[dict[str, Any]]:
    return _api(view, "/api/traces", service="frontend", endpoint=CHECKOUT, **params)


def _series(collector: Collector, name: str, **labels: str) -> float:
    """The sum of a counter of the collector's own metrics over its series with these labels."""
    wanted = [f'{label}="{value}"' for label, value in labels.items()]
    return sum(v for key, v in collector.metrics().items() if key.split("{")[0] == name and all(w in key for w in wanted))


def _passed_through(collector: Collector, transport: str) -> bool:
    """Every span the OTLP receiver accepted (all of them over `transport`), both OTLP exporters sent."""
    accepted = _series(collector, "otelcol_receiver_accepted_spans")
    sent = [_series(collector, "otelcol_exporter_sent_spans", exporter=e) for e in ("otlp_http/view", "otlp_http/fleet")]
    return accepted > 0 and _series(collector, "otelcol_receiver_accepted_spans", transport=transport) == accepted == sent[0] == sent[1]


def _assert_shop_telemetry(view: View) -> None:
    requests = {e["endpoint"]: e["requests"] for e in _api(view, "/api/endpoints", service="frontend")}
    assert requests[CHECKOUT] == len(ORDERS) + 1
    services = {s["service"]: s for s in _api(view, "/api/overview")["services"]}
    assert services["frontend"]["errors"] == 1 and services["backend"]["errors"] == 1
    edge = next(e for e in _api(view, "/api/topology") if (e["source"], e["target"]) == ("frontend", "backend"))
    assert edge["calls"] == len(ORDERS) + 1

    [failed] = _checkouts(view, status="error")
    spans = _api(view, "/api/trace", trace_id=failed["trace_id"])
    by_id = {s["span_id"]: s for s in spans}
    server = next(s for s in spans if s["service"] == "frontend" and s["kind"] == "SERVER")
    client = next(s for s in spans if s["service"] == "frontend" and s["kind"] == "CLIENT")
    backend = next(s for s in spans if s["service"] == "backend" and s["kind"] == "SERVER")
    assert (server["name"], server["endpoint"], server["parent_span_id"]) == ("GET /checkout/{id}", CHECKOUT, None)
    assert by_id[client["parent_span_id"]] is server
    assert by_id[backend["parent_span_id"]] is client
    assert (backend["name"], backend["endpoint"]) == ("GET /orders/{id}", "/orders/{id}")
    assert server["status"] == client["status"] == backend["status"] == "ERROR"
    assert backend["attributes"]["http.response.status_code"] == 500
    assert server["attributes"]["http.response.status_code"] == 502

    # Metrics took the same road: both services' Go runtime metrics.
    assert {"frontend", "backend"} <= {i["service"] for i in _api(view, "/api/instances")}


@pytest.mark.parametrize("protocol", ["http/protobuf", "grpc"])
def test_shop_exports_through_collector_to_two_views(shop_exporters, collector_bin: Path, tmp_path: Path, protocol: str) -> None:
    with rulec_view(tmp_path / "view") as view, rulec_view(tmp_path / "fleet") as fleet:
        with collector_running(collector_bin, view.otlp_http, fleet.otlp_http, tmp_path / "collector.log") as collector:
            otel = {
                "OTEL_EXPORTER_OTLP_PROTOCOL": protocol,
                "OTEL_EXPORTER_OTLP_ENDPOINT": collector.otlp_grpc if protocol == "grpc" else collector.otlp_http,
                "OTEL_METRIC_EXPORT_INTERVAL": "300",
            }
            with shop_running(shop_exporters.frontend, shop_exporters.backend, otel) as (url, _, _):
                for order in ORDERS:
                    assert get(f"{url}/checkout/{order}")[0] == 200
                assert get(f"{url}/checkout/fail")[0] == 502
                for sink in (view, fleet):
                    _until(lambda s=sink: len(_checkouts(s)) == len(ORDERS) + 1, f"checkouts in {sink.otlp_http}")
                    _until(lambda s=sink: len({i["service"] for i in _api(s, "/api/instances")}) >= 2, "runtime metrics")
            # Every span the collector accepted, it sent to both stores.
            transport = "grpc" if protocol == "grpc" else "http"
            _until(lambda: _passed_through(collector, transport), "the collector's exporters to catch up")
            log = collector.log.read_text()

        for sink in (view, fleet):
            _assert_shop_telemetry(sink)
        assert {t["trace_id"] for t in _checkouts(view)} == {t["trace_id"] for t in _checkouts(fleet)}
        # The third exporter, debug, logged the batches it saw.
        assert "Traces" in log and "Metrics" in log, log


def test_scale_doc_quotes_the_tested_config() -> None:
    doc = (ROOT / "docs" / "scale.md").read_text()
    quoted = re.search(r"<!-- quoted: examples/collector/collector.yaml -->\n```yaml\n(.*?)```", doc, re.DOTALL)
    assert quoted, "docs/scale.md no longer quotes the collector's configuration"
    assert quoted.group(1) == CONFIG.read_text()
