"""OtlpReceiver over real sockets: OTLP/HTTP (protobuf, JSON, gzip, errors) and gRPC."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import grpc
import pytest
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status as PbStatus
from otlp_client import kv, make_metrics_request, post

from rulec.view.receiver import OtlpReceiver
from rulec.view.rpc_status import Status

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
REPO_ROOT = Path(__file__).resolve().parents[2]


def make_request(span_id: str = "b7ad6b7169203331", name: str = "GET /orders/{id}") -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    resource_spans = request.resource_spans.add()
    resource_spans.resource.attributes.extend([kv("service.name", "backend"), kv("service.version", "1.2.3")])
    scope_spans = resource_spans.scope_spans.add()
    scope_spans.scope.name = "rulec/net/http"
    span = scope_spans.spans.add(
        trace_id=bytes.fromhex(TRACE_ID),
        span_id=bytes.fromhex(span_id),
        parent_span_id=bytes.fromhex("00f067aa0ba902b7"),
        name=name,
        kind=PbSpan.SPAN_KIND_SERVER,
        start_time_unix_nano=1_700_000_000_000_000_000,
        end_time_unix_nano=1_700_000_000_004_000_000,
        status=PbStatus(code=PbStatus.STATUS_CODE_ERROR, message="boom"),
    )
    span.attributes.extend(
        [
            kv("http.route", "/orders/{id}"),
            kv("http.response.status_code", 500),
            kv("sampled", True),
            kv("ratio", 0.5),
            kv("tags", ["a", "b"]),
        ]
    )
    event = span.events.add(name="exception", time_unix_nano=1_700_000_000_001_000_000)
    event.attributes.append(kv("exception.message", "db down"))
    return request


def test_protobuf_export_is_decoded_into_spans(receiver: OtlpReceiver) -> None:
    status, content_type, body = post(receiver, make_request().SerializeToString())

    assert (status, content_type) == (200, "application/x-protobuf")
    assert ExportTraceServiceResponse.FromString(body) == ExportTraceServiceResponse()
    [span] = receiver.spans()
    assert span.trace_id == TRACE_ID
    assert span.span_id == "b7ad6b7169203331"
    assert span.parent_span_id == "00f067aa0ba902b7"
    assert (span.name, span.kind, span.scope) == (
        "GET /orders/{id}",
        "SERVER",
        "rulec/net/http",
    )
    assert (span.status_code, span.status_message) == ("ERROR", "boom")
    assert span.duration_ns == 4_000_000
    assert span.service_name == "backend"
    assert span.resource == {"service.name": "backend", "service.version": "1.2.3"}
    assert span.attributes == {
        "http.route": "/orders/{id}",
        "http.response.status_code": 500,
        "sampled": True,
        "ratio": 0.5,
        "tags": ("a", "b"),
    }
    assert span.events == (("exception", {"exception.message": "db down"}),)


def test_json_export_uses_hex_ids(receiver: OtlpReceiver) -> None:
    document = json_format.MessageToDict(make_request())
    # OTLP/JSON carries ids as hex, not protobuf-JSON base64.
    json_span = document["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    json_span.update(traceId=TRACE_ID, spanId="b7ad6b7169203331", parentSpanId="")
    json_span["kind"] = 3  # enums are integers in OTLP/JSON
    json_span["futureField"] = "ignored"

    status, content_type, body = post(receiver, json.dumps(document).encode(), "application/json")

    assert (status, content_type) == (200, "application/json")
    assert json.loads(body) == {}
    [span] = receiver.spans()
    assert (span.trace_id, span.span_id, span.parent_span_id) == (
        TRACE_ID,
        "b7ad6b7169203331",
        "",
    )
    assert span.kind == "CLIENT"
    assert span.attributes["http.response.status_code"] == 500


def test_gzip_body_is_accepted(receiver: OtlpReceiver) -> None:
    body = gzip.compress(make_request().SerializeToString())

    status, _, _ = post(receiver, body, headers={"Content-Encoding": "gzip"})

    assert status == 200
    assert len(receiver.spans()) == 1


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        (b"\xff\xff\xff", "application/x-protobuf", {}),
        (b"{not json", "application/json", {}),
        (
            b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "zz"}]}]}]}',
            "application/json",
            {},
        ),
        (b"not gzip", "application/x-protobuf", {"Content-Encoding": "gzip"}),
    ],
)
def test_malformed_body_is_400_and_keeps_earlier_spans(
    receiver: OtlpReceiver, body: bytes, content_type: str, headers: dict[str, str]
) -> None:
    assert post(receiver, make_request().SerializeToString())[0] == 200

    status, reply_type, reply = post(receiver, body, content_type, headers=headers)

    assert status == 400
    error = json_format.Parse(reply, Status()) if reply_type == "application/json" else Status.FromString(reply)
    assert error.code == 3  # INVALID_ARGUMENT
    assert "cannot decode" in error.message or "gzip" in error.message
    assert receiver.malformed_requests == 1
    assert len(receiver.spans()) == 1


def test_unknown_path_is_404(receiver: OtlpReceiver) -> None:
    status, _, body = post(receiver, make_request().SerializeToString(), path="/v1/other")

    assert status == 404
    assert Status.FromString(body).code == 5
    assert receiver.spans() == []


def test_unknown_content_type_is_415(receiver: OtlpReceiver) -> None:
    assert post(receiver, b"hello", "text/plain")[0] == 415
    assert post(receiver, b"x", headers={"Content-Encoding": "br"})[0] == 415
    assert receiver.malformed_requests == 0


@pytest.mark.parametrize("body", [b"", b"\xff not even protobuf"])
def test_logs_are_accepted_undecoded_and_dropped(receiver: OtlpReceiver, body: bytes) -> None:
    status, _, _ = post(receiver, body, path="/v1/logs")

    assert status == 200
    assert (receiver.spans(), receiver.metrics(), receiver.malformed_requests) == ([], [], 0)


def test_keep_alive_connection_serves_several_requests(receiver: OtlpReceiver) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", receiver.http_port, timeout=5)
    try:
        for span_id in ("0000000000000001", "0000000000000002"):
            body = make_request(span_id).SerializeToString()
            conn.request(
                "POST",
                "/v1/traces",
                body=body,
                headers={"Content-Type": "application/x-protobuf"},
            )
            response = conn.getresponse()
            response.read()
            assert response.status == 200
    finally:
        conn.close()
    assert sorted(s.span_id for s in receiver.spans()) == [
        "0000000000000001",
        "0000000000000002",
    ]


@pytest.mark.parametrize("compression", [grpc.Compression.NoCompression, grpc.Compression.Gzip])
def test_grpc_export(receiver: OtlpReceiver, compression: grpc.Compression) -> None:
    with grpc.insecure_channel(receiver.grpc_target) as channel:
        stub = trace_service_pb2_grpc.TraceServiceStub(channel)
        response = stub.Export(make_request(), timeout=5, compression=compression)

    assert response == ExportTraceServiceResponse()
    [span] = receiver.spans()
    assert (span.service_name, span.kind, span.trace_id) == (
        "backend",
        "SERVER",
        TRACE_ID,
    )
    assert receiver.grpc_endpoint == f"http://127.0.0.1:{receiver.grpc_port}"


def test_wait_for_returns_once_spans_arrive(receiver: OtlpReceiver) -> None:
    def send_later() -> None:
        post(receiver, make_request("0000000000000001").SerializeToString())
        post(receiver, make_request("0000000000000002").SerializeToString())

    sender = threading.Timer(0.1, send_later)
    sender.start()
    spans = receiver.wait_for(lambda spans: len(spans) >= 2, timeout=5)
    sender.join()

    assert len(spans) == 2


def test_wait_for_timeout_dumps_what_was_received(receiver: OtlpReceiver) -> None:
    post(receiver, make_request().SerializeToString())
    post(receiver, b"\xff", "application/x-protobuf")

    with pytest.raises(TimeoutError) as raised:
        receiver.wait_for(lambda spans: any(s.kind == "CLIENT" for s in spans), timeout=0.2)

    message = str(raised.value)
    assert "received 1 span(s), 1 malformed request(s)" in message
    assert f"trace {TRACE_ID}" in message
    assert "backend  SERVER  GET /orders/{id}  [ERROR: boom]" in message


def test_clear_forgets_spans(receiver: OtlpReceiver) -> None:
    post(receiver, make_request().SerializeToString())
    receiver.clear()

    assert receiver.spans() == []


def test_stop_closes_the_ports() -> None:
    with OtlpReceiver() as receiver:
        port = receiver.http_port
        assert port != 0 and receiver.grpc_port != 0
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=5).connect()


def test_receive_command_prints_trees_and_metrics_when_idle() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [
        sys.executable,
        "-m",
        "rulec.view",
        "receive",
        "--http-port",
        "0",
        "--grpc-port",
        "0",
        "--until-idle",
        "0.3",
        "--max-seconds",
        "20",
    ]
    with subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None and process.stdout is not None
        banner = process.stderr.readline()
        http_url = banner.split("OTLP/HTTP on ")[1].split(",")[0]
        conn = http.client.HTTPConnection(http_url.removeprefix("http://"), timeout=5)
        # Metrics first: only spans end the idle wait, so both are in by then.
        for path, request in (("/v1/metrics", make_metrics_request()), ("/v1/traces", make_request())):
            conn.request(
                "POST",
                path,
                body=request.SerializeToString(),
                headers={"Content-Type": "application/x-protobuf"},
            )
            response = conn.getresponse()
            response.read()
            assert response.status == 200
        conn.close()
        out = process.stdout.read()
        assert process.wait(timeout=20) == 0

    assert out.startswith(f"trace {TRACE_ID}  (1 spans)\n")
    assert "backend  SERVER  GET /orders/{id}  [ERROR: boom]" in out
    metric_lines = [
        "metrics:",
        "  app.pool.utilization  gauge  unit=1  1 point(s)  services=backend",
        "  app.requests  sum  unit={request}  1 point(s)  services=backend",
        "  http.server.request.duration  histogram  unit=s  1 point(s)  services=backend",
    ]
    assert out.endswith("\n\n" + "\n".join(metric_lines) + "\n")
