"""A day of a small shop's telemetry for bench/view_scale.py, as OTLP/HTTP bodies.

Six services, eleven instances: `gateway` calls `orders`, `users` (HTTP) and
`catalog` (gRPC); `orders` calls PostgreSQL, Redis and `payments`, which calls an
uninstrumented payment provider, and publishes to Kafka for `notifier`. Literals
vary so statements normalise; about one request in forty fails (provider 502s,
deadlocks), some users are 404s. The spans are the tests' own `Spec`s, encoded
by the tests' `export_request` (tests/view/traffic.py), one request per
instance as each SDK sends its own; runtime metrics come once a minute.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.metrics.v1.metrics_pb2 import AggregationTemporality
from otlp_client import kv
from traffic import Spec, export_request

INSTANCES = {"gateway": 3, "orders": 2, "users": 2, "catalog": 2, "payments": 1, "notifier": 1}
ENTRY_KINDS = ("SERVER", "CONSUMER")
MINUTE_NS = 60_000_000_000


@dataclass
class _Node:
    """A span before its times are known: they follow from its children's."""

    service: str
    name: str
    kind: str
    self_ns: int
    attributes: dict[str, object] = field(default_factory=dict)
    error: bool = False
    events: tuple[tuple[str, dict[str, object]], ...] = ()
    children: list[_Node] = field(default_factory=list)

    def add(self, service: str, name: str, kind: str, self_ns: int, **attributes: object) -> _Node:
        child = _Node(service, name, kind, self_ns, dict(attributes))
        self.children.append(child)
        return child

    def fail(self, error_type: str, message: str, http_status: int | None = None) -> None:
        self.error = True
        self.attributes["error.type"] = error_type
        if http_status is not None:
            self.attributes["http.response.status_code"] = http_status
        self.events = (("exception", {"exception.type": error_type, "exception.message": message}),)


def _http_server(service: str, method: str, route: str, path: str, self_ns: int, status: int = 200) -> _Node:
    return _Node(service, f"{method} {route}", "SERVER", self_ns, {
        "http.request.method": method, "http.route": route, "url.path": path, "url.scheme": "http",
        "http.response.status_code": status, "network.protocol.version": "1.1", "user_agent.original": "Go-http-client/1.1",
    })  # fmt: skip


def _http_call(parent: _Node, rng: random.Random, callee: _Node, host: str, port: int) -> _Node:
    """A CLIENT span of the parent's service answered by `callee`'s SERVER span."""
    status = callee.attributes["http.response.status_code"]
    method = str(callee.attributes["http.request.method"])
    client = parent.add(parent.service, method, "CLIENT", rng.randrange(100_000, 600_000), **{
        "http.request.method": method, "server.address": host, "server.port": port,
        "url.full": f"http://{host}:{port}{callee.attributes['url.path']}", "http.response.status_code": status,
    })  # fmt: skip
    client.children.append(callee)
    return client


def _sql(parent: _Node, rng: random.Random, statement: str, table: str, operation: str) -> _Node:
    return parent.add(parent.service, f"{operation} {table}", "CLIENT", rng.randrange(300_000, 8_000_000), **{
        "db.system": "postgresql", "db.query.text": statement, "db.namespace": "shop", "db.operation.name": operation,
        "db.collection.name": table, "server.address": "postgres", "server.port": 5432,
    })  # fmt: skip


def _redis(parent: _Node, rng: random.Random, command: str, key: str) -> _Node:
    return parent.add(parent.service, command, "CLIENT", rng.randrange(60_000, 500_000), **{
        "db.system": "redis", "db.query.text": f"{command} {key}", "db.operation.name": command,
        "server.address": "redis", "server.port": 6379,
    })  # fmt: skip


def _get_order(rng: random.Random) -> _Node:
    order = rng.randrange(1, 500_000)
    root = _http_server("gateway", "GET", "/api/orders/{id}", f"/api/orders/{order}", rng.randrange(100_000, 400_000))
    server = _http_server("orders", "GET", "/orders/{id}", f"/orders/{order}", rng.randrange(100_000, 500_000))
    _http_call(root, rng, server, "orders", 8080)
    _redis(server, rng, "GET", f"order:{order}")
    if rng.random() < 0.7:  # a cache hit
        return root
    select = _sql(server, rng, f"SELECT id, user_id, total, status FROM orders WHERE id = {order}", "orders", "SELECT")
    if rng.random() < 0.01:
        select.fail("pq.Error", "deadlock detected")
        for node in (server, root):
            node.fail("*pq.Error", "deadlock detected", 500)
        return root
    _redis(server, rng, "SET", f"order:{order}")
    return root


def _post_order(rng: random.Random) -> _Node:
    user, total = rng.randrange(1, 100_000), rng.randrange(100, 100_000)
    root = _http_server("gateway", "POST", "/api/orders", "/api/orders", rng.randrange(100_000, 400_000), 201)
    server = _http_server("orders", "POST", "/orders", "/orders", rng.randrange(200_000, 800_000), 201)
    _http_call(root, rng, server, "orders", 8080)
    _sql(server, rng, f"SELECT id FROM users WHERE id = {user} FOR UPDATE", "users", "SELECT")
    charge = _http_server("payments", "POST", "/charge", "/charge", rng.randrange(100_000, 300_000))
    _http_call(server, rng, charge, "payments", 8080)
    provider = charge.add("payments", "POST", "CLIENT", rng.randrange(20_000_000, 250_000_000), **{
        "http.request.method": "POST", "server.address": "api.pay.example", "server.port": 443,
        "url.full": "https://api.pay.example/v1/charges", "http.response.status_code": 200,
    })  # fmt: skip
    if rng.random() < 0.03:
        provider.fail("502", "Bad Gateway", 502)
        for node in (charge, server, root):
            node.fail("payment declined", "payment provider: 502 Bad Gateway", 502)
        return root
    _sql(server, rng, f"INSERT INTO orders (user_id, total, status) VALUES ({user}, {total}, 'paid')", "orders", "INSERT")
    publish = server.add("orders", "order-events publish", "PRODUCER", rng.randrange(200_000, 1_500_000), **{
        "messaging.system": "kafka", "messaging.destination.name": "order-events", "messaging.operation.type": "publish",
        "server.address": "kafka", "server.port": 9092,
    })  # fmt: skip
    consume = publish.add("notifier", "order-events process", "CONSUMER", rng.randrange(100_000, 400_000), **{
        "messaging.system": "kafka", "messaging.destination.name": "order-events", "messaging.operation.type": "process",
    })  # fmt: skip
    consume.add("notifier", "render confirmation", "INTERNAL", rng.randrange(500_000, 3_000_000))
    consume.add("notifier", "POST", "CLIENT", rng.randrange(2_000_000, 20_000_000), **{
        "http.request.method": "POST", "server.address": "smtp-relay", "server.port": 8025, "http.response.status_code": 202,
    })  # fmt: skip
    return root


def _get_user(rng: random.Random) -> _Node:
    user = rng.randrange(1, 120_000)
    missing = user > 100_000
    root = _http_server("gateway", "GET", "/api/users/{id}", f"/api/users/{user}", rng.randrange(100_000, 300_000), 404 if missing else 200)
    server = _http_server("users", "GET", "/users/{id}", f"/users/{user}", rng.randrange(80_000, 300_000), 404 if missing else 200)
    _http_call(root, rng, server, "users", 8080)
    _sql(server, rng, f"SELECT id, name, email FROM users WHERE id = {user}", "users", "SELECT")
    return root


def _list_catalog(rng: random.Random) -> _Node:
    categories = ", ".join(str(rng.randrange(1, 40)) for _ in range(rng.randrange(1, 6)))
    root = _http_server("gateway", "GET", "/api/catalog", "/api/catalog", rng.randrange(100_000, 300_000))
    rpc = {"rpc.system": "grpc", "rpc.service": "catalog.Catalog", "rpc.method": "List"}
    client = root.add("gateway", "catalog.Catalog/List", "CLIENT", rng.randrange(150_000, 500_000),
                      **rpc, **{"server.address": "catalog", "server.port": 50051, "rpc.grpc.status_code": 0})  # fmt: skip
    server = client.add("catalog", "catalog.Catalog/List", "SERVER", rng.randrange(100_000, 400_000), **rpc, **{"rpc.grpc.status_code": 0})
    _redis(server, rng, "MGET", f"category:{categories.split(',')[0]}")
    _sql(server, rng, f"SELECT id, name, price FROM products WHERE category IN ({categories}) ORDER BY name LIMIT 50", "products", "SELECT")
    server.add("catalog", "filter stock", "INTERNAL", rng.randrange(200_000, 2_000_000))
    return root


def _healthz(rng: random.Random) -> _Node:
    return _http_server("gateway", "GET", "/healthz", "/healthz", rng.randrange(20_000, 80_000))


_KINDS = ((_get_order, 35), (_post_order, 15), (_get_user, 25), (_list_catalog, 20), (_healthz, 5))


def _emit(node: _Node, rng: random.Random, trace_id: str, parent: str, start: int, instance: dict[str, str], out: list[Spec]) -> int:
    """Append the node's subtree to `out` (children one after another); its duration."""
    span_id = f"{rng.getrandbits(64):016x}"
    t = start + node.self_ns // 2
    for child in node.children:
        t += _emit(child, rng, trace_id, span_id, t, instance, out) + 20_000
    duration = t - start + node.self_ns - node.self_ns // 2
    out.append(Spec(node.service, instance[node.service], trace_id, span_id, parent, node.name, node.kind,
                    start, duration, node.error, node.attributes, node.events))  # fmt: skip
    return duration


def traces(rng: random.Random, starts: list[int]) -> list[Spec]:
    """One trace per start time, each request handled by random instances."""
    out: list[Spec] = []
    builders, weights = zip(*_KINDS, strict=True)
    for start in starts:
        instance = {s: f"{s}-{rng.randrange(n)}" for s, n in INSTANCES.items()}
        build = rng.choices(builders, weights)[0]
        _emit(build(rng), rng, f"{rng.getrandbits(128):032x}", "", start, instance, out)
    return out


def resource(service: str, instance: str) -> dict[str, object]:
    """What a rulec-built Go binary reports besides its name and instance."""
    return {"service.version": "1.8.2", "deployment.environment.name": "bench", "host.name": f"node-{instance}",
            "process.pid": 1000 + sum(map(ord, instance)), "process.runtime.name": "go", "process.runtime.version": "go1.26.8",
            "telemetry.sdk.name": "opentelemetry", "telemetry.sdk.language": "go", "telemetry.sdk.version": "1.38.0"}  # fmt: skip


def trace_bodies(specs: list[Spec]) -> list[bytes]:
    """One OTLP/HTTP protobuf body per instance, as its SDK would batch them."""
    by_instance: dict[str, list[Spec]] = defaultdict(list)
    for spec in specs:
        by_instance[spec.instance].append(spec)
    return [export_request(group, resource).SerializeToString() for group in by_instance.values()]


_RUNTIME = (  # name, unit, is a monotonic sum, typical value
    ("go.goroutine.count", "{goroutine}", False, 60),
    ("go.memory.used", "By", False, 48 << 20),
    ("go.memory.gc.goal", "By", False, 64 << 20),
    ("go.memory.allocated", "By", True, 4 << 20),
    ("go.processor.limit", "{thread}", False, 2),
    ("go.config.gogc", "%", False, 100),
)


def runtime_metrics(service: str, instance: str, minutes: list[int], rng: random.Random) -> bytes:
    """One request with a point per minute for each Go runtime metric of one instance."""
    request = ExportMetricsServiceRequest()
    rm = request.resource_metrics.add()
    rm.resource.attributes.extend([kv("service.name", service), kv("service.instance.id", instance),
                                   *(kv(k, v) for k, v in resource(service, instance).items())])  # fmt: skip
    scope = rm.scope_metrics.add()
    scope.scope.name = "go.opentelemetry.io/contrib/instrumentation/runtime"
    for name, unit, cumulative, typical in _RUNTIME:
        metric = scope.metrics.add(name=name, unit=unit)
        points = metric.sum.data_points if cumulative else metric.gauge.data_points
        if cumulative:
            metric.sum.is_monotonic = True
            metric.sum.aggregation_temporality = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
        for i, minute in enumerate(minutes):
            value = typical * (i + 1) if cumulative else int(typical * rng.uniform(0.8, 1.25))
            points.add(as_int=value, time_unix_nano=minute * MINUTE_NS, start_time_unix_nano=minutes[0] * MINUTE_NS)
    return request.SerializeToString()
