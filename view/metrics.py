"""Flatten decoded OTLP metrics requests into plain, immutable `MetricPoint` records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.metrics.v1.metrics_pb2 import AggregationTemporality, Metric

from rulec.view.spans import attributes_to_dict

HISTOGRAM = "histogram"
SUM = "sum"
GAUGE = "gauge"
EXPONENTIAL_HISTOGRAM = "exponential_histogram"
SUMMARY = "summary"


@dataclass(frozen=True)
class MetricPoint:
    """One data point with its metric's identity, resource and scope.

    `value` is set for sums and gauges; `count` and `sum` for the three
    distribution kinds; buckets only for explicit-bucket histograms (exponential
    buckets and summary quantiles are not kept: no test needs them yet).
    """

    name: str
    kind: str
    unit: str = ""
    description: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    resource: dict[str, Any] = field(default_factory=dict)
    scope: str = ""
    value: float | int | None = None
    count: int | None = None
    sum: float | None = None
    bucket_counts: tuple[int, ...] = ()
    explicit_bounds: tuple[float, ...] = ()
    is_monotonic: bool = False
    # "DELTA" or "CUMULATIVE" for sums and histograms, "" otherwise.
    temporality: str = ""
    start_time_unix_nano: int = 0
    time_unix_nano: int = 0

    @property
    def service_name(self) -> str:
        return str(self.resource.get("service.name", ""))


def points_from_request(request: ExportMetricsServiceRequest) -> list[MetricPoint]:
    """Convert every data point of an export request, in request order."""
    points: list[MetricPoint] = []
    for resource_metrics in request.resource_metrics:
        resource = attributes_to_dict(resource_metrics.resource.attributes)
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                points.extend(_convert_metric(metric, resource, scope_metrics.scope.name))
    return points


def _convert_metric(metric: Metric, resource: dict[str, Any], scope: str) -> list[MetricPoint]:
    kind = metric.WhichOneof("data")
    if kind is None:
        return []
    data = getattr(metric, kind)
    common: dict[str, Any] = {
        "name": metric.name,
        "kind": kind,
        "unit": metric.unit,
        "description": metric.description,
        "scope": scope,
    }
    if hasattr(data, "aggregation_temporality"):
        common["temporality"] = _temporality(data.aggregation_temporality)
    if kind == SUM:
        common["is_monotonic"] = data.is_monotonic
    return [
        MetricPoint(
            **common,
            **_point_values(kind, pb),
            attributes=attributes_to_dict(pb.attributes),
            # Each point gets its own copy so no two frozen points share a mutable dict.
            resource=dict(resource),
            start_time_unix_nano=pb.start_time_unix_nano,
            time_unix_nano=pb.time_unix_nano,
        )
        for pb in data.data_points
    ]


def _point_values(kind: str, pb: Any) -> dict[str, Any]:
    if kind in (SUM, GAUGE):
        which = pb.WhichOneof("value")
        return {"value": getattr(pb, which) if which else None}
    # `sum` is optional on histograms (absent when measurements may be negative).
    total = pb.sum if kind == SUMMARY or pb.HasField("sum") else None
    values: dict[str, Any] = {"count": pb.count, "sum": total}
    if kind == HISTOGRAM:
        values["bucket_counts"] = tuple(pb.bucket_counts)
        values["explicit_bounds"] = tuple(pb.explicit_bounds)
    return values


def _temporality(value: int) -> str:
    if value == AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED:
        return ""
    try:
        return AggregationTemporality.Name(value).removeprefix("AGGREGATION_TEMPORALITY_")
    except ValueError:
        # proto3 enums are open: a newer sender may use a value this version lacks.
        return str(value)


def format_metric_summary(points: Iterable[MetricPoint]) -> list[str]:
    """One line per metric name, sorted: kind, unit, point count and services."""
    by_name: dict[str, list[MetricPoint]] = defaultdict(list)
    for point in points:
        by_name[point.name].append(point)
    lines = []
    for name, members in sorted(by_name.items()):
        first = members[0]
        services = ",".join(sorted({p.service_name or "-" for p in members}))
        unit = f"unit={first.unit}" if first.unit else ""
        parts = [name, first.kind, unit, f"{len(members)} point(s)", f"services={services}"]
        lines.append("  ".join(part for part in parts if part))
    return lines
