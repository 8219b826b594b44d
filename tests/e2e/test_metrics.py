"""Metrics end to end: the example shop built with rulec exports RED histograms
and Go runtime metrics over OTLP and Prometheus, with bounded series."""

from __future__ import annotations

import re

import pytest
from support.metrics import counted, latest
from support.procs import free_port, get
from support.shop import backend_running, shop_running

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

SEMCONV_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
FAST_EXPORT = {"OTEL_METRIC_EXPORT_INTERVAL": "300"}


def test_red_metrics_stay_bounded_under_a_thousand_ids(shop, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, **FAST_EXPORT}
    with backend_running(shop.backend, otel) as (url, proc):
        for i in range(1000):
            status, _, _ = get(f"{url}/orders/{i}?session=s{i}")
            assert status == 200
        assert get(f"{url}/orders/fail")[0] == 500
        name = "http.server.request.duration"
        route = {"http.route": "/orders/{id}"}
        points = receiver.wait_for_metrics(lambda got: counted(got, name, proc.pid, **route) >= 1001, timeout=20)

    series = latest(points, name, proc.pid)
    orders = {k: p for k, p in series.items() if p.attributes.get("http.route") == "/orders/{id}"}
    # One series per status code, not one per id: 200 and 500.
    assert sorted(p.attributes["http.response.status_code"] for p in orders.values()) == [200, 500]
    for p in orders.values():
        assert p.kind == "histogram" and p.unit == "s"
        assert p.explicit_bounds == SEMCONV_BUCKETS
        assert p.attributes["http.request.method"] == "GET"
        assert p.attributes["url.scheme"] == "http"
        assert not {"url.path", "url.query", "url.full", "network.peer.address"} & p.attributes.keys()
    ok = next(p for p in orders.values() if p.attributes["http.response.status_code"] == 200)
    failed = next(p for p in orders.values() if p.attributes["http.response.status_code"] == 500)
    assert ok.count == 1000 and "error.type" not in ok.attributes
    assert failed.count == 1 and failed.attributes["error.type"] == "500"
    assert len(series) <= 4  # the orders route and the health checks, whatever the ids

    # The instance: resource attributes and Go runtime metrics.
    resource = ok.resource
    assert resource["service.name"] == "backend"
    assert re.fullmatch(r"[0-9a-f-]{36}", resource["service.instance.id"])
    assert resource["host.name"] and resource["process.pid"] > 0
    assert resource["telemetry.distro.name"] == "rulec" and resource["telemetry.distro.version"]
    names = {p.name for p in points if p.resource.get("process.pid") == proc.pid}
    assert {"process.runtime.go.goroutines", "process.runtime.go.gc.count", "process.runtime.go.mem.heap_alloc"} <= names
    hook_panics = latest(points, "rulec.hook.panics", proc.pid)
    assert [p.value for p in hook_panics.values()] == [0]


def test_client_metric_names_the_peer_not_the_url(shop, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, **FAST_EXPORT}
    with shop_running(shop.frontend, shop.backend, otel) as (url, frontend, _):
        for i in range(1000, 1020):  # ids no trace test looks for in the shared receiver
            assert get(f"{url}/checkout/{i}")[0] == 200
        name = "http.client.request.duration"
        points = receiver.wait_for_metrics(lambda got: counted(got, name, frontend.pid) >= 20, timeout=20)

    (client,) = latest(points, name, frontend.pid).values()
    assert client.resource["service.name"] == "frontend"
    assert client.unit == "s" and client.count == 20
    assert client.attributes["server.address"] == "127.0.0.1"
    assert client.attributes["http.response.status_code"] == 200
    assert "url.full" not in client.attributes


def test_prometheus_scrape_endpoint(shop_exporters, receiver: OtlpReceiver) -> None:
    port = free_port()
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
        "OTEL_METRICS_EXPORTER": "prometheus",
        "OTEL_EXPORTER_PROMETHEUS_HOST": "127.0.0.1",
        "OTEL_EXPORTER_PROMETHEUS_PORT": str(port),
        "OTEL_SERVICE_NAME": "scraped",
    }
    with backend_running(shop_exporters.backend, otel) as (url, _):
        for i in range(5):
            assert get(f"{url}/orders/{i}")[0] == 200
        status, body, headers = get(f"http://127.0.0.1:{port}/metrics")
        receiver.wait_for(lambda spans: sum(s.attributes.get("http.route") == "/orders/{id}" for s in spans) >= 5, timeout=20)

    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    text = body.decode()
    count = re.search(r'^http_server_request_duration_seconds_count\{([^}]*http_route="/orders/\{id\}"[^}]*)\} (\d+)$', text, re.MULTILINE)
    assert count, text[:3000]
    assert 'http_response_status_code="200"' in count.group(1) and count.group(2) == "5"
    assert re.search(r"^http_server_request_duration_seconds_bucket\{[^}]*le=\"0.005\"", text, re.MULTILINE)
    assert "process_runtime_go_goroutines" in text
    # The scrape is the runtime's own traffic: never traced, never sent as OTLP metrics.
    assert not [s for s in receiver.spans() if s.attributes.get("url.path") == "/metrics"]
    assert not [p for p in receiver.metrics() if p.service_name == "scraped"]


def test_metrics_exporter_none_keeps_traces(shop, receiver: OtlpReceiver) -> None:
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
        "OTEL_METRICS_EXPORTER": "none",
        "OTEL_SERVICE_NAME": "unmetered",
        **FAST_EXPORT,
    }
    with backend_running(shop.backend, otel) as (url, _):
        assert get(f"{url}/orders/7")[0] == 200
        receiver.wait_for(lambda spans: any(s.attributes.get("url.path") == "/orders/7" for s in spans), timeout=20)
        get(f"{url}/orders/8")  # wait for more than one export interval
        receiver.wait_for(lambda spans: any(s.attributes.get("url.path") == "/orders/8" for s in spans), timeout=20)
    assert not [p for p in receiver.metrics() if p.service_name == "unmetered"]
