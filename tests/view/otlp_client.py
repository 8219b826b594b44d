"""Helpers for the receiver tests: build OTLP messages, POST raw OTLP/HTTP bodies."""

from __future__ import annotations

import http.client

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.common.v1.common_pb2 import KeyValue
from opentelemetry.proto.metrics.v1.metrics_pb2 import AggregationTemporality

from rulec.view.receiver import OtlpReceiver


def kv(key: str, value: object) -> KeyValue:
    item = KeyValue(key=key)
    if isinstance(value, str):
        item.value.string_value = value
    elif isinstance(value, bool):
        item.value.bool_value = value
    elif isinstance(value, int):
        item.value.int_value = value
    elif isinstance(value, float):
        item.value.double_value = value
    else:
        assert isinstance(value, list)
        for element in value:
            item.value.array_value.values.add().string_value = element
    return item


EXEMPLAR_TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
EXEMPLAR_SPAN_ID = "b7ad6b7169203331"
START_NS = 1_700_000_000_000_000_000
TIME_NS = 1_700_000_010_000_000_000


def make_metrics_request(service: str = "backend") -> ExportMetricsServiceRequest:
    """A histogram, a monotonic int sum and a double gauge, as a Go SDK would send."""
    request = ExportMetricsServiceRequest()
    resource_metrics = request.resource_metrics.add()
    resource_metrics.resource.attributes.extend([kv("service.name", service), kv("service.version", "1.2.3")])
    scope_metrics = resource_metrics.scope_metrics.add()
    scope_metrics.scope.name = "rulec/net/http"
    times = {"start_time_unix_nano": START_NS, "time_unix_nano": TIME_NS}

    duration = scope_metrics.metrics.add(name="http.server.request.duration", unit="s", description="Duration of requests.")
    duration.histogram.aggregation_temporality = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
    point = duration.histogram.data_points.add(count=3, sum=0.75, bucket_counts=[1, 2, 0], explicit_bounds=[0.1, 0.5], **times)
    point.attributes.extend([kv("http.request.method", "GET"), kv("http.route", "/orders/{id}"), kv("http.response.status_code", 200)])
    point.exemplars.add(
        as_double=0.3,
        time_unix_nano=TIME_NS,
        trace_id=bytes.fromhex(EXEMPLAR_TRACE_ID),
        span_id=bytes.fromhex(EXEMPLAR_SPAN_ID),
    )

    requests = scope_metrics.metrics.add(name="app.requests", unit="{request}")
    requests.sum.is_monotonic = True
    requests.sum.aggregation_temporality = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
    requests.sum.data_points.add(as_int=7, **times).attributes.append(kv("tags", ["a", "b"]))

    utilization = scope_metrics.metrics.add(name="app.pool.utilization", unit="1")
    utilization.gauge.data_points.add(as_double=0.25, time_unix_nano=TIME_NS)
    return request


def post(
    receiver: OtlpReceiver,
    body: bytes,
    content_type: str = "application/x-protobuf",
    path: str = "/v1/traces",
    headers: dict[str, str] | None = None,
) -> tuple[int, str, bytes]:
    """One request on a fresh connection; returns (status, Content-Type, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", receiver.http_port, timeout=5)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": content_type, **(headers or {})},
        )
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()
