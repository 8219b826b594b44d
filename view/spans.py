"""Flatten decoded OTLP trace requests into plain, immutable `Span` records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status as PbStatus


@dataclass(frozen=True)
class Span:
    """One received span, detached from protobuf so tests and views stay simple."""

    trace_id: str
    span_id: str
    name: str
    parent_span_id: str = ""
    kind: str = "UNSPECIFIED"
    start_ns: int = 0
    end_ns: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)
    status_code: str = "UNSET"
    status_message: str = ""
    service_name: str = ""
    resource: dict[str, Any] = field(default_factory=dict)
    scope: str = ""
    events: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def duration_ns(self) -> int:
        return self.end_ns - self.start_ns


def spans_from_request(request: ExportTraceServiceRequest) -> list[Span]:
    """Convert every span of an export request, with its resource and scope."""
    spans: list[Span] = []
    for resource_spans in request.resource_spans:
        resource = attributes_to_dict(resource_spans.resource.attributes)
        service = resource.get("service.name", "")
        for scope_spans in resource_spans.scope_spans:
            for pb in scope_spans.spans:
                spans.append(
                    _convert_span(pb, resource, str(service), scope_spans.scope.name)
                )
    return spans


def _convert_span(
    pb: PbSpan, resource: dict[str, Any], service: str, scope: str
) -> Span:
    return Span(
        trace_id=pb.trace_id.hex(),
        span_id=pb.span_id.hex(),
        parent_span_id=pb.parent_span_id.hex(),
        name=pb.name,
        kind=_enum_suffix(PbSpan.SpanKind.Name(pb.kind), "SPAN_KIND_"),
        start_ns=pb.start_time_unix_nano,
        end_ns=pb.end_time_unix_nano,
        attributes=attributes_to_dict(pb.attributes),
        status_code=_enum_suffix(
            PbStatus.StatusCode.Name(pb.status.code), "STATUS_CODE_"
        ),
        status_message=pb.status.message,
        service_name=service,
        # Each span gets its own copy so no two frozen spans share a mutable dict.
        resource=dict(resource),
        scope=scope,
        events=tuple((e.name, attributes_to_dict(e.attributes)) for e in pb.events),
    )


def _enum_suffix(name: str, prefix: str) -> str:
    return name.removeprefix(prefix)


def attributes_to_dict(attributes: Iterable[KeyValue]) -> dict[str, Any]:
    """OTLP key/value list -> dict; a repeated key keeps its last value, as SDKs do."""
    return {kv.key: any_value_to_python(kv.value) for kv in attributes}


def any_value_to_python(value: AnyValue) -> Any:
    """Map an AnyValue to Python; arrays become tuples so spans stay comparable."""
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return tuple(any_value_to_python(v) for v in value.array_value.values)
    if kind == "kvlist_value":
        return attributes_to_dict(value.kvlist_value.values)
    if kind is None:
        return None
    return getattr(value, kind)
