"""net/http end to end: the example shop built with rulec, real requests,
spans received over OTLP by a real receiver."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from support.procs import free_port, get, service
from support.shop import shop_running

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e


def _trace_of(spans: list[Span], path: str) -> list[Span]:
    roots = [s for s in spans if s.kind == "SERVER" and s.attributes.get("url.path") == path and s.service_name == "frontend"]
    if not roots:
        return []
    return [s for s in spans if s.trace_id == roots[0].trace_id]


def _wait_trace(receiver: OtlpReceiver, path: str, count: int = 3) -> list[Span]:
    spans = receiver.wait_for(lambda got: len(_trace_of(got, path)) >= count, timeout=20)
    return _trace_of(spans, path)


def _one(spans: list[Span], service_name: str, kind: str) -> Span:
    found = [s for s in spans if s.service_name == service_name and s.kind == kind]
    assert len(found) == 1, found
    return found[0]


def test_one_trace_across_both_services(shop, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint}
    with shop_running(shop.frontend, shop.backend, otel) as (url, _, _):
        status, body, _ = get(url + "/checkout/42")
        assert status == 200 and b"checkout complete" in body
        spans = _wait_trace(receiver, "/checkout/42")

    server = _one(spans, "frontend", "SERVER")
    client = _one(spans, "frontend", "CLIENT")
    backend = _one(spans, "backend", "SERVER")
    assert {s.trace_id for s in spans} == {server.trace_id}
    assert server.parent_span_id == ""
    assert client.parent_span_id == server.span_id
    assert backend.parent_span_id == client.span_id

    assert server.name == "GET /checkout/{id}"
    assert server.attributes["http.route"] == "/checkout/{id}"
    assert server.attributes["http.request.method"] == "GET"
    assert server.attributes["url.path"] == "/checkout/42"
    assert server.attributes["url.scheme"] == "http"
    assert server.attributes["http.response.status_code"] == 200
    assert server.attributes["server.port"] == int(url.rsplit(":", 1)[1])
    assert server.attributes["network.peer.address"] == "127.0.0.1"
    assert server.status_code == "UNSET"

    assert client.name == "GET"
    assert client.attributes["url.full"].endswith("/orders/42")
    assert client.attributes["server.address"] == "127.0.0.1"
    assert client.attributes["http.response.status_code"] == 200
    assert backend.name == "GET /orders/{id}"
    assert backend.attributes["http.route"] == "/orders/{id}"
    assert backend.start_ns >= client.start_ns and backend.end_ns <= client.end_ns


def test_error_status_and_incoming_traceparent(shop, receiver: OtlpReceiver) -> None:
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint}
    with shop_running(shop.frontend, shop.backend, otel) as (url, _, _):
        status, _, _ = get(url + "/checkout/fail", headers={"traceparent": f"00-{trace_id}-{parent}-01"})
        assert status == 502
        status, _, _ = get(url + "/checkout/missing")
        assert status == 404
        spans = _wait_trace(receiver, "/checkout/fail")
        missing = _wait_trace(receiver, "/checkout/missing")

    server = _one(spans, "frontend", "SERVER")
    assert server.trace_id == trace_id and server.parent_span_id == parent
    assert server.status_code == "ERROR" and server.attributes["http.response.status_code"] == 502
    client = _one(spans, "frontend", "CLIENT")
    assert client.status_code == "ERROR" and client.attributes["http.response.status_code"] == 500
    backend = _one(spans, "backend", "SERVER")
    assert backend.status_code == "ERROR" and backend.attributes["error.type"] == "500"
    # 4xx is an error for the client that got it, not for the server that answered it.
    assert _one(missing, "backend", "SERVER").status_code == "UNSET"
    assert _one(missing, "frontend", "CLIENT").status_code == "ERROR"


def test_transport_error_is_recorded_on_the_client_span(shop, receiver: OtlpReceiver) -> None:
    fport = free_port()
    env = {
        "FRONTEND_ADDR": f"127.0.0.1:{fport}",
        "BACKEND_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
        "OTEL_SERVICE_NAME": "frontend",
        "OTEL_BSP_SCHEDULE_DELAY": "50",
    }
    with service(shop.frontend, env, f"http://127.0.0.1:{fport}/healthz"):
        assert get(f"http://127.0.0.1:{fport}/checkout/7")[0] == 502
        spans = _wait_trace(receiver, "/checkout/7", count=2)
    client = _one(spans, "frontend", "CLIENT")
    assert client.status_code == "ERROR"
    assert "http.response.status_code" not in client.attributes
    assert client.attributes["error.type"]


def test_spans_flushed_on_sigterm_and_exit_status_kept(shop, receiver: OtlpReceiver) -> None:
    # A long batch delay: only the exit path can deliver these spans in time.
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_BSP_SCHEDULE_DELAY": "600000"}
    with shop_running(shop.frontend, shop.backend, otel) as (url, front, back):
        assert get(url + "/checkout/sigterm")[0] == 200
        time.sleep(0.3)
        assert _trace_of(receiver.spans(), "/checkout/sigterm") == []
        for p in (front, back):
            p.send_signal(signal.SIGTERM)
        codes = [front.wait(timeout=15), back.wait(timeout=15)]
    assert codes == [-signal.SIGTERM, -signal.SIGTERM]  # as without rulec: killed by the signal
    assert len(_wait_trace(receiver, "/checkout/sigterm")) == 3


def test_grpc_exporter(shop_exporters, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.grpc_endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
    with shop_running(shop_exporters.frontend, shop_exporters.backend, otel) as (url, _, _):
        assert get(url + "/checkout/grpc")[0] == 200
        spans = _wait_trace(receiver, "/checkout/grpc")
    assert {s.service_name for s in spans} == {"frontend", "backend"}


def test_traces_endpoint_variable_and_resource_attributes(shop, receiver: OtlpReceiver) -> None:
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",  # overridden by the traces endpoint
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.http_endpoint + "/v1/traces",
        "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test,team=shop",
    }
    with shop_running(shop.frontend, shop.backend, otel) as (url, _, _):
        assert get(url + "/checkout/res")[0] == 200
        spans = _wait_trace(receiver, "/checkout/res")
    assert spans[0].resource["deployment.environment"] == "test"
    assert spans[0].resource["team"] == "shop"


def test_sampler_and_sdk_disabled(shop, receiver: OtlpReceiver) -> None:
    for otel in ({"OTEL_TRACES_SAMPLER": "always_off"}, {"OTEL_SDK_DISABLED": "true"}):
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, **otel}
        with shop_running(shop.frontend, shop.backend, env) as (url, front, back):
            assert get(url + "/checkout/off")[0] == 200
            for p in (front, back):
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=15)
        assert _trace_of(receiver.spans(), "/checkout/off") == []


def test_dead_exporter_does_not_slow_requests(shop) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{free_port()}", "OTEL_BSP_SCHEDULE_DELAY": "10"}
    with shop_running(shop.frontend, shop.backend, otel) as (url, _, _):
        start = time.monotonic()
        for _ in range(50):
            assert get(url + "/checkout/1")[0] == 200
        elapsed = time.monotonic() - start
    assert elapsed < 10  # generous: a blocking exporter would take seconds per request


def test_plain_go_build_emits_nothing_and_answers_the_same(shop, plain_shop: Path, receiver: OtlpReceiver) -> None:
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint}
    with shop_running(plain_shop / "frontend", plain_shop / "backend", otel) as (url, _, _):
        plain = [get(url + p)[:2] for p in ("/checkout/9", "/checkout/fail", "/checkout/missing")]
    time.sleep(1)
    assert _trace_of(receiver.spans(), "/checkout/9") == []
    with shop_running(shop.frontend, shop.backend, otel) as (url, _, _):
        traced = [get(url + p)[:2] for p in ("/checkout/9", "/checkout/fail", "/checkout/missing")]
    assert plain == traced


def test_build_summary(shop) -> None:
    assert "rulec: instrumented" in shop.build_stderr
    assert "nethttp" in shop.build_stderr
    assert os.path.exists(shop.frontend)


def test_default_endpoint_is_plain_http_on_localhost(shop) -> None:
    # No OTEL_EXPORTER_OTLP_* at all: the spec's default, http://localhost:4318.
    with OtlpReceiver(http_port=4318) as local:
        with shop_running(shop.frontend, shop.backend, {}) as (url, _, _):
            assert get(url + "/checkout/default")[0] == 200
            spans = local.wait_for(lambda got: len(_trace_of(got, "/checkout/default")) >= 3, timeout=20)
    assert len(_trace_of(spans, "/checkout/default")) == 3


# One trace id per case: a trace shared between cases would mix their spans.
B3_IDS = [f"463ac35c9f6413ad48485a3953bb612{i}" for i in range(3)]
EAGLE_IDS = [f"0ad1348f140316927500210035669{i}" for i in range(2)]  # EagleEye's hex ids: left-padded to 128 bits


@pytest.mark.parametrize(
    ("propagators", "headers", "trace_id", "parent", "exact_hop"),
    [
        (
            "b3multi",
            {"X-B3-TraceId": B3_IDS[0], "X-B3-SpanId": "a2fb4a1d1a96d312", "X-B3-Sampled": "1"},
            B3_IDS[0],
            "a2fb4a1d1a96d312",
            True,
        ),
        ("b3", {"b3": f"{B3_IDS[1]}-a2fb4a1d1a96d313-1"}, B3_IDS[1], "a2fb4a1d1a96d313", True),
        ("jaeger", {"uber-trace-id": f"{B3_IDS[2]}:a2fb4a1d1a96d314:0:1"}, B3_IDS[2], "a2fb4a1d1a96d314", True),
        # EagleEye has no span id: the parent is derived from the rpc id, and
        # a hop carrying EagleEye alone links by trace, not by span.
        ("eagleeye", {"EagleEye-TraceId": EAGLE_IDS[0], "EagleEye-RpcId": "0.1"}, "00" + EAGLE_IDS[0], None, False),
        ("tracecontext,eagleeye", {"EagleEye-TraceId": EAGLE_IDS[1], "EagleEye-RpcId": "0.1"}, "00" + EAGLE_IDS[1], None, True),
    ],
)
def test_each_propagator_in_and_out(shop, receiver: OtlpReceiver, propagators, headers, trace_id, parent, exact_hop) -> None:
    # Only these formats are configured on both services, so the backend
    # joining the trace proves the frontend sent them on.
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_PROPAGATORS": propagators}
    path = "/checkout/prop-" + propagators.replace(",", "-")
    with shop_running(shop.frontend, shop.backend, otel) as (url, _, _):
        assert get(url + path, headers=headers)[0] == 200
        spans = _wait_trace(receiver, path)
    server, client, backend = _one(spans, "frontend", "SERVER"), _one(spans, "frontend", "CLIENT"), _one(spans, "backend", "SERVER")
    assert server.trace_id == client.trace_id == backend.trace_id == trace_id
    assert server.parent_span_id == (parent or server.parent_span_id) != ""
    assert (backend.parent_span_id == client.span_id) is exact_hop


def test_samplers_and_the_parents_decision(shop, receiver: OtlpReceiver) -> None:
    base = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint}
    # parentbased (the default): an unsampled parent is honoured by both services.
    unsampled = "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
    sampled = "00-6bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    ratio = {**base, "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5"}
    with shop_running(shop.frontend, shop.backend, ratio) as (url, front, back):
        assert get(url + "/checkout/unsampled", headers={"traceparent": unsampled})[0] == 200
        assert get(url + "/checkout/sampled", headers={"traceparent": sampled})[0] == 200
        for i in range(40):
            assert get(url + f"/checkout/ratio-{i}")[0] == 200
        for p in (front, back):
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=15)
    spans = receiver.wait_for(lambda got: len(_trace_of(got, "/checkout/sampled")) == 3, timeout=20)
    assert _trace_of(spans, "/checkout/unsampled") == []
    roots = [
        s for s in receiver.spans() if s.service_name == "frontend" and s.attributes.get("url.path", "").startswith("/checkout/ratio-")
    ]
    # The ratio applies to new traces: about half of 40, never none or all.
    assert 5 <= len(roots) <= 35
    for root in roots:  # a sampled trace is sampled in the backend too
        assert len(_trace_of(receiver.spans(), root.attributes["url.path"])) == 3
