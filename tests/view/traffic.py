"""Synthetic shop traffic for the store tests: the spans as plain specs (to compute
expected figures from) and as the OTLP export requests an SDK would send."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span as PbSpan
from opentelemetry.proto.trace.v1.trace_pb2 import Status
from otlp_client import kv

_KIND = {kind: PbSpan.SpanKind.Value(f"SPAN_KIND_{kind}") for kind in ("SERVER", "CLIENT", "INTERNAL", "PRODUCER", "CONSUMER")}


@dataclass(frozen=True)
class Spec:
    service: str
    instance: str
    trace_id: str
    span_id: str
    parent: str
    name: str
    kind: str
    start_ns: int
    duration_ns: int
    error: bool = False
    attributes: dict[str, object] = field(default_factory=dict)
    events: tuple[tuple[str, dict[str, object]], ...] = ()


def shop_traffic(traces: int, start_ns: int | None = None, seed: int = 1) -> list[Spec]:
    """Checkout traces: frontend SERVER -> CLIENT -> backend SERVER -> postgresql and
    redis CLIENTs. Every seventh checkout fails in the database; two frontend instances."""
    rng = random.Random(seed)
    start = start_ns if start_ns is not None else time.time_ns() - 60_000_000_000
    specs: list[Spec] = []
    for i in range(traces):
        tid = f"{rng.getrandbits(128):032x}"
        ids = [f"{rng.getrandbits(64):016x}" for _ in range(5)]
        t0 = start + i * 100_000_000
        fail = i % 7 == 3
        db_ns = rng.randrange(200_000, 5_000_000)
        cache_ns = rng.randrange(50_000, 400_000)
        backend_ns = db_ns + cache_ns + rng.randrange(100_000, 1_000_000)
        client_ns = backend_ns + rng.randrange(50_000, 300_000)
        server_ns = client_ns + rng.randrange(50_000, 300_000)
        order = 40 + i % 5
        specs += [
            Spec("frontend", f"fe-{i % 2}", tid, ids[0], "", "GET /checkout/{id}", "SERVER", t0, server_ns, fail,
                 {"http.route": "/checkout/{id}", "http.request.method": "GET", "http.response.status_code": 502 if fail else 200}),
            Spec("frontend", f"fe-{i % 2}", tid, ids[1], ids[0], "GET", "CLIENT", t0 + 10, client_ns, fail,
                 {"server.address": "127.0.0.1", "server.port": 9001, "http.request.method": "GET"}),
            Spec("backend", "be-0", tid, ids[2], ids[1], "GET /orders/{id}", "SERVER", t0 + 20, backend_ns, fail,
                 {"http.route": "/orders/{id}", "http.request.method": "GET"}),
            Spec("backend", "be-0", tid, ids[3], ids[2], "SELECT orders", "CLIENT", t0 + 30, db_ns, fail,
                 {"db.system": "postgresql", "db.query.text": f"SELECT * FROM orders WHERE id = {order}",
                  **({"error.type": "pq.Error"} if fail else {})},
                 (("exception", {"exception.type": "pq.Error", "exception.message": "deadlock"}),) if fail else ()),
            Spec("backend", "be-0", tid, ids[4], ids[2], "GET", "CLIENT", t0 + 40, cache_ns, False,
                 {"db.system": "redis", "db.query.text": f"GET order:{order}", "server.address": "cache"}),
        ]  # fmt: skip
    return specs


def export_request(specs: list[Spec], resource: Callable[[str, str], dict[str, object]] | None = None) -> ExportTraceServiceRequest:
    """One ResourceSpans per (service, instance), as each SDK would send its own;
    `resource(service, instance)` adds further resource attributes."""
    request = ExportTraceServiceRequest()
    by_resource: dict[tuple[str, str], list[Spec]] = defaultdict(list)
    for spec in specs:
        by_resource[(spec.service, spec.instance)].append(spec)
    for (service, instance), group in by_resource.items():
        rs = request.resource_spans.add()
        rs.resource.attributes.extend([kv("service.name", service), kv("service.instance.id", instance)])
        if resource is not None:
            rs.resource.attributes.extend(kv(k, v) for k, v in resource(service, instance).items())
        scope = rs.scope_spans.add()
        scope.scope.name = "rulec/test"
        for spec in group:
            pb = scope.spans.add(
                trace_id=bytes.fromhex(spec.trace_id),
                span_id=bytes.fromhex(spec.span_id),
                parent_span_id=bytes.fromhex(spec.parent),
                name=spec.name,
                kind=_KIND[spec.kind],
                start_time_unix_nano=spec.start_ns,
                end_time_unix_nano=spec.start_ns + spec.duration_ns,
            )
            pb.attributes.extend(kv(k, v) for k, v in spec.attributes.items())
            for name, attrs in spec.events:
                pb.events.add(name=name, time_unix_nano=spec.start_ns).attributes.extend(kv(k, v) for k, v in attrs.items())
            if spec.error:
                pb.status.code = Status.STATUS_CODE_ERROR
                pb.status.message = "failed"
    return request


def p99(values: list[int]) -> float:
    """The 0.99 quantile with linear interpolation between closest ranks, as quantile_cont."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * 0.99
    lo = int(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])
