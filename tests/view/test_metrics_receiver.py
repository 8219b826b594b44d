"""OtlpReceiver storing metrics over real sockets: OTLP/HTTP (protobuf, JSON, gzip, errors) and gRPC."""

from __future__ import annotations

import gzip
import http.client
import json
import threading

import grpc
import pytest
from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)
from otlp_client import EXEMPLAR_SPAN_ID, EXEMPLAR_TRACE_ID, make_metrics_request, post

from rulec.view.metrics import points_from_request
from rulec.view.receiver import OtlpReceiver
from rulec.view.rpc_status import Status

METRICS = "/v1/metrics"
EXPECTED = points_from_request(make_metrics_request())


def otlp_json(request: ExportMetricsServiceRequest) -> dict[str, object]:
    """The OTLP/JSON form: hex exemplar ids and integer enums, unlike protobuf JSON."""
    document = json_format.MessageToDict(request)
    metrics = document["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]
    histogram = metrics[0]["histogram"]
    histogram["aggregationTemporality"] = 2
    histogram["dataPoints"][0]["exemplars"][0].update(traceId=EXEMPLAR_TRACE_ID, spanId=EXEMPLAR_SPAN_ID)
    metrics[1]["sum"]["aggregationTemporality"] = 1
    metrics[1]["futureField"] = "ignored"
    return document


def send_grpc(receiver: OtlpReceiver, request: ExportMetricsServiceRequest, compression: grpc.Compression) -> ExportMetricsServiceResponse:
    with grpc.insecure_channel(receiver.grpc_target) as channel:
        stub = metrics_service_pb2_grpc.MetricsServiceStub(channel)
        return stub.Export(request, timeout=5, compression=compression)


def test_protobuf_export_is_decoded_into_points(receiver: OtlpReceiver) -> None:
    status, content_type, body = post(receiver, make_metrics_request().SerializeToString(), path=METRICS)

    assert (status, content_type) == (200, "application/x-protobuf")
    assert ExportMetricsServiceResponse.FromString(body) == ExportMetricsServiceResponse()
    assert receiver.metrics() == EXPECTED
    histogram = receiver.metrics()[0]
    assert (histogram.name, histogram.kind, histogram.bucket_counts, histogram.service_name) == (
        "http.server.request.duration",
        "histogram",
        (1, 2, 0),
        "backend",
    )
    assert receiver.spans() == []


def test_json_export_matches_protobuf(receiver: OtlpReceiver) -> None:
    body = json.dumps(otlp_json(make_metrics_request())).encode()

    status, content_type, reply = post(receiver, body, "application/json", path=METRICS)

    assert (status, content_type) == (200, "application/json")
    assert json.loads(reply) == {}
    assert receiver.metrics() == EXPECTED


def test_gzip_body_is_accepted(receiver: OtlpReceiver) -> None:
    body = gzip.compress(make_metrics_request().SerializeToString())

    status, _, _ = post(receiver, body, path=METRICS, headers={"Content-Encoding": "gzip"})

    assert status == 200
    assert receiver.metrics() == EXPECTED


@pytest.mark.parametrize("compression", [grpc.Compression.NoCompression, grpc.Compression.Gzip])
def test_grpc_export(receiver: OtlpReceiver, compression: grpc.Compression) -> None:
    response = send_grpc(receiver, make_metrics_request(), compression)

    assert response == ExportMetricsServiceResponse()
    assert receiver.metrics() == EXPECTED
    assert receiver.spans() == []


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        (b"\xff\xff\xff", "application/x-protobuf", {}),
        (b"{not json", "application/json", {}),
        (b'{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"sum": {"dataPoints": [{"asInt": "x"}]}}]}]}]}', "application/json", {}),
        (
            b'{"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"gauge": {"dataPoints": [{"exemplars": [{"spanId": "zz"}]}]}}]}]}]}',
            "application/json",
            {},
        ),
        (b"not gzip", "application/x-protobuf", {"Content-Encoding": "gzip"}),
    ],
)
def test_malformed_body_is_400_and_keeps_earlier_points(
    receiver: OtlpReceiver, body: bytes, content_type: str, headers: dict[str, str]
) -> None:
    assert post(receiver, make_metrics_request().SerializeToString(), path=METRICS)[0] == 200

    status, reply_type, reply = post(receiver, body, content_type, path=METRICS, headers=headers)

    assert status == 400
    error = json_format.Parse(reply, Status()) if reply_type == "application/json" else Status.FromString(reply)
    assert error.code == 3  # INVALID_ARGUMENT
    assert "ExportMetricsServiceRequest" in error.message or "gzip" in error.message or "not hex" in error.message
    assert receiver.malformed_requests == 1
    assert receiver.metrics() == EXPECTED


def test_unsupported_content_type_and_get_are_refused(receiver: OtlpReceiver) -> None:
    assert post(receiver, b"hello", "text/plain", path=METRICS)[0] == 415
    conn = http.client.HTTPConnection("127.0.0.1", receiver.http_port, timeout=5)
    try:
        conn.request("GET", METRICS)
        assert conn.getresponse().status == 405
    finally:
        conn.close()
    assert (receiver.metrics(), receiver.malformed_requests) == ([], 0)


def test_wait_for_metrics_returns_once_points_arrive(receiver: OtlpReceiver) -> None:
    sender = threading.Timer(0.1, send_grpc, (receiver, make_metrics_request(), grpc.Compression.NoCompression))
    sender.start()
    points = receiver.wait_for_metrics(lambda points: any(p.name == "app.requests" for p in points), timeout=5)
    sender.join()

    assert points == EXPECTED


def test_wait_for_metrics_timeout_names_what_was_received(receiver: OtlpReceiver) -> None:
    post(receiver, make_metrics_request().SerializeToString(), path=METRICS)
    post(receiver, b"\xff", path=METRICS)

    with pytest.raises(TimeoutError) as raised:
        receiver.wait_for_metrics(lambda points: any(p.name == "db.client.operation.duration" for p in points), timeout=0.2)

    assert str(raised.value).splitlines() == [
        "condition not met within 0.2s; received 3 metric point(s), 1 malformed request(s):",
        "app.pool.utilization  gauge  unit=1  1 point(s)  services=backend",
        "app.requests  sum  unit={request}  1 point(s)  services=backend",
        "http.server.request.duration  histogram  unit=s  1 point(s)  services=backend",
    ]


def test_wait_for_metrics_timeout_with_nothing_received(receiver: OtlpReceiver) -> None:
    with pytest.raises(TimeoutError, match="received 0 metric point.*\nno metrics received$"):
        receiver.wait_for_metrics(bool, timeout=0.05)


def test_spans_and_metrics_are_kept_apart_and_cleared_together(receiver: OtlpReceiver) -> None:
    trace = ExportTraceServiceRequest()
    trace.resource_spans.add().scope_spans.add().spans.add(trace_id=b"\x01" * 16, span_id=b"\x02" * 8, name="op")
    post(receiver, trace.SerializeToString())
    post(receiver, make_metrics_request().SerializeToString(), path=METRICS)
    assert (len(receiver.spans()), len(receiver.metrics())) == (1, 3)

    receiver.clear()

    assert (receiver.spans(), receiver.metrics()) == ([], [])
