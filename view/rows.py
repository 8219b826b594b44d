"""Received `Span`s and `MetricPoint`s as rows of the DuckDB tables (see view/db.py).

The columns the console filters and groups on are derived here, once at
ingest, so queries never parse attribute JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rulec.view.metrics import MetricPoint
from rulec.view.spans import Span

SPAN_COLUMNS = (
    "trace_id", "span_id", "parent_span_id", "service", "instance", "name", "kind",
    "start_ns", "duration_ns", "status", "status_message", "endpoint",
    "http_route", "http_method", "http_status", "rpc_service", "rpc_method",
    "db_system", "db_statement", "server_address", "peer", "error_type",
    "scope", "attributes", "events", "resource",
)  # fmt: skip

METRIC_COLUMNS = (
    "service", "instance", "name", "kind", "unit", "time_ns", "start_ns",
    "value", "count", "sum", "temporality", "attributes", "resource",
)  # fmt: skip

# OTLP times and counts are uint64; BIGINT columns stop at 2**63 - 1.
_INT64_MAX = 2**63 - 1

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_IN_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)")
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"\$\d+")


def normalise_statement(text: str) -> str:
    """Literals and placeholders become ?, IN lists (?) and whitespace one space,
    so the same query with other values groups together."""
    text = _STRING.sub("?", text)
    text = _PLACEHOLDER.sub("?", text)
    text = _NUMBER.sub("?", text)
    text = _IN_LIST.sub("(?)", text)
    return _SPACE.sub(" ", text).strip()


def span_row(span: Span) -> tuple[Any, ...]:
    a = span.attributes
    route = _text(a.get("http.route"))
    rpc_service, rpc_method = _text(a.get("rpc.service")), _text(a.get("rpc.method"))
    statement = _text(a.get("db.query.text") or a.get("db.statement"))
    address = _text(a.get("server.address") or a.get("net.peer.name"))
    port = a.get("server.port") or a.get("net.peer.port")
    db_system = _text(a.get("db.system.name") or a.get("db.system"))
    endpoint = route or (f"{rpc_service}/{rpc_method}" if rpc_service and rpc_method else None) or span.name
    return (
        span.trace_id,
        span.span_id,
        span.parent_span_id or None,
        span.service_name,
        _text(span.resource.get("service.instance.id")),
        span.name,
        span.kind,
        min(span.start_ns, _INT64_MAX),
        min(max(span.duration_ns, 0), _INT64_MAX),
        span.status_code,
        span.status_message or None,
        endpoint,
        route,
        _text(a.get("http.request.method") or a.get("http.method")),
        _status_code(a.get("http.response.status_code") or a.get("http.status_code")),
        rpc_service,
        rpc_method,
        db_system,
        normalise_statement(statement) if statement else None,
        address,
        _peer(a, db_system, rpc_service, address, port) if span.kind in ("CLIENT", "PRODUCER") else None,
        _error_type(span),
        span.scope,
        to_json(span.attributes),
        to_json([{"name": name, "attributes": attrs} for name, attrs in span.events]),
        to_json(span.resource),
    )


def metric_row(point: MetricPoint) -> tuple[Any, ...]:
    return (
        point.service_name,
        _text(point.resource.get("service.instance.id")),
        point.name,
        point.kind,
        point.unit,
        min(point.time_unix_nano, _INT64_MAX),
        min(point.start_time_unix_nano, _INT64_MAX),
        None if point.value is None else float(point.value),
        None if point.count is None else min(point.count, _INT64_MAX),
        point.sum,
        point.temporality,
        to_json(point.attributes),
        to_json(point.resource),
    )


def to_json(value: Any) -> str:
    # bytes_value attributes are the only values json cannot take as they are.
    return json.dumps(value, default=lambda v: v.hex() if isinstance(v, bytes) else str(v))


def _peer(a: dict[str, Any], db_system: str | None, rpc_service: str | None, address: str | None, port: Any) -> str | None:
    """What a client span calls: the named peer, else the database, RPC service or host."""
    if a.get("peer.service"):
        return str(a["peer.service"])
    if db_system:
        return db_system
    if rpc_service:
        return rpc_service
    if address:
        return f"{address}:{port}" if port else address
    return None


def _error_type(span: Span) -> str | None:
    if span.attributes.get("error.type"):
        return str(span.attributes["error.type"])
    for name, attrs in span.events:
        if name == "exception" and attrs.get("exception.type"):
            return str(attrs["exception.type"])
    return None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _status_code(value: Any) -> int | None:
    """An HTTP status as INTEGER; anything else an SDK might send is left out."""
    valid = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1000
    return value if valid else None
