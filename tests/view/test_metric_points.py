"""points_from_request and format_metric_summary, without any sockets."""

from __future__ import annotations

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from otlp_client import START_NS, TIME_NS, kv, make_metrics_request

from rulec.view.metrics import MetricPoint, format_metric_summary, points_from_request

RESOURCE = {"service.name": "backend", "service.version": "1.2.3"}


def test_histogram_sum_and_gauge_points() -> None:
    histogram, counter, gauge = points_from_request(make_metrics_request())

    assert histogram == MetricPoint(
        name="http.server.request.duration",
        kind="histogram",
        unit="s",
        description="Duration of requests.",
        attributes={"http.request.method": "GET", "http.route": "/orders/{id}", "http.response.status_code": 200},
        resource=RESOURCE,
        scope="rulec/net/http",
        count=3,
        sum=0.75,
        bucket_counts=(1, 2, 0),
        explicit_bounds=(0.1, 0.5),
        temporality="CUMULATIVE",
        start_time_unix_nano=START_NS,
        time_unix_nano=TIME_NS,
    )
    assert histogram.service_name == "backend"
    assert (counter.kind, counter.value, counter.is_monotonic, counter.temporality) == ("sum", 7, True, "DELTA")
    assert isinstance(counter.value, int)
    assert counter.attributes == {"tags": ("a", "b")}
    assert (counter.count, counter.sum, counter.bucket_counts) == (None, None, ())
    assert (gauge.kind, gauge.value, gauge.unit, gauge.temporality, gauge.is_monotonic) == ("gauge", 0.25, "1", "", False)


def test_exponential_histogram_summary_and_missing_values() -> None:
    request = ExportMetricsServiceRequest()
    scope_metrics = request.resource_metrics.add().scope_metrics.add()
    exponential = scope_metrics.metrics.add(name="latency.exp")
    exponential.exponential_histogram.data_points.add(count=4, sum=2.5, scale=2, zero_count=1)
    summary = scope_metrics.metrics.add(name="latency.summary")
    summary.summary.data_points.add(count=2, sum=0.0).attributes.append(kv("q", True))
    no_sum = scope_metrics.metrics.add(name="signed.histogram")
    no_sum.histogram.data_points.add(count=1, bucket_counts=[1])
    scope_metrics.metrics.add(name="unset.gauge").gauge.data_points.add()
    scope_metrics.metrics.add(name="no.data")  # no data oneof: contributes no points

    points = points_from_request(request)

    assert [(p.name, p.kind, p.count, p.sum, p.value) for p in points] == [
        ("latency.exp", "exponential_histogram", 4, 2.5, None),
        # Summary sums are plain doubles, so 0.0 is a real sum, not "absent".
        ("latency.summary", "summary", 2, 0.0, None),
        ("signed.histogram", "histogram", 1, None, None),
        ("unset.gauge", "gauge", None, None, None),
    ]
    assert points[0].bucket_counts == ()
    assert points[1].attributes == {"q": True}
    assert (points[0].resource, points[0].scope, points[0].service_name) == ({}, "", "")


def test_points_do_not_share_resource_dicts() -> None:
    first, second, _ = points_from_request(make_metrics_request())

    assert first.resource == second.resource
    assert first.resource is not second.resource


def test_unknown_temporality_value_is_kept_as_number() -> None:
    request = ExportMetricsServiceRequest()
    metric = request.resource_metrics.add().scope_metrics.add().metrics.add(name="future")
    metric.sum.aggregation_temporality = 7  # type: ignore[assignment]
    metric.sum.data_points.add(as_double=1.0)

    [point] = points_from_request(request)

    assert point.temporality == "7"


def test_summary_lists_each_metric_once_sorted() -> None:
    points = points_from_request(make_metrics_request()) + points_from_request(make_metrics_request("frontend"))

    assert format_metric_summary(points) == [
        "app.pool.utilization  gauge  unit=1  2 point(s)  services=backend,frontend",
        "app.requests  sum  unit={request}  2 point(s)  services=backend,frontend",
        "http.server.request.duration  histogram  unit=s  2 point(s)  services=backend,frontend",
    ]
    assert format_metric_summary([]) == []
