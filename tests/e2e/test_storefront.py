"""The plugins together: examples/storefront, a gin API that reads PostgreSQL
through gorm, caches in Redis, asks a gRPC inventory service and logs with
zap, built with rulec and no telemetry code. One request is one connected
trace across both services; `rulec plan` names every plugin it uses."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from support.gomod import ROOT, copy_module, rulec
from support.procs import free_port, get, service
from support.services import Server, postgres_database

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

PLUGINS = ["databasesql", "gin", "goredis", "gorm", "grpc", "nethttp", "pgx", "zap"]


@pytest.fixture(scope="module")
def storefront(tmp_path_factory: pytest.TempPathFactory) -> Path:
    module = copy_module(ROOT / "examples" / "storefront", tmp_path_factory.mktemp("storefront") / "storefront")
    proc = rulec("build", "-o", str(module / "bin") + "/", "./...", cwd=module)
    assert proc.returncode == 0, proc.stderr
    return module


def test_plan_names_every_plugin(storefront: Path) -> None:
    proc = rulec("plan", "./...", cwd=storefront)
    assert proc.returncode == 0, proc.stderr
    active = proc.stdout.splitlines()[0].removeprefix("plugins active: ").split(", ")
    assert set(PLUGINS) <= set(active), active


def test_one_connected_trace_per_request(storefront: Path, postgres_server: Server, redis_server: Server,
                                         receiver: OtlpReceiver) -> None:  # fmt: skip
    api, inventory, run = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}", uuid.uuid4().hex
    env = {"API_ADDR": api, "INVENTORY_ADDR": inventory, "REDIS_ADDR": redis_server.addr,
           "DATABASE_DSN": f"postgres://postgres@{postgres_server.addr}/{postgres_database(postgres_server, 'storefront')}?sslmode=disable",
           "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_BSP_SCHEDULE_DELAY": "50",
           "OTEL_RESOURCE_ATTRIBUTES": f"test.run={run}"}  # fmt: skip

    def ours(spans: list[Span]) -> list[Span]:
        return [s for s in spans if s.resource.get("test.run") == run]

    def served(spans: list[Span]) -> list[Span]:
        return [s for s in ours(spans) if s.name == "grpc.health.v1.Health/Check" and s.kind == "SERVER"]

    with service(storefront / "bin" / "inventory", {**env, "OTEL_SERVICE_NAME": "inventory"}, f"tcp://{inventory}"):
        with service(storefront / "bin" / "api", {**env, "OTEL_SERVICE_NAME": "api"}, f"http://{api}/healthz") as proc:
            for _ in range(2):  # a cache miss, then a hit
                status, body, _ = get(f"http://{api}/products/D42")
                assert status == 200 and json.loads(body) == {"product": {"code": "D42", "name": "Towel", "price": 42},
                                                              "in_stock": True}  # fmt: skip
            spans = ours(receiver.wait_for(
                lambda got: len(served(got)) >= 2 and sum(s.name == "GET /products/{code}" for s in ours(got)) >= 2, 30))
            proc.kill()
            logs = proc.communicate()[0].decode()

    requests = sorted((s for s in spans if s.name == "GET /products/{code}"), key=lambda s: s.start_ns)
    assert len(requests) == 2 and all(r.service_name == "api" for r in requests)
    for request, cached in zip(requests, (False, True), strict=True):
        trace = [s for s in spans if s.trace_id == request.trace_id]
        children = sorted((s for s in trace if s.parent_span_id == request.span_id), key=lambda s: s.start_ns)
        names = [s.name for s in children]
        if cached:
            assert names == ["GET", "grpc.health.v1.Health/Check"]
        else:
            assert names == ["GET", "gorm SELECT products", "SET", "grpc.health.v1.Health/Check"]
            (sql,) = [s for s in trace if s.parent_span_id == children[1].span_id]
            assert sql.name == "SELECT products" and sql.attributes["db.system.name"] == "postgresql"
        assert children[0].attributes["db.system.name"] == "redis"
        rpc = children[-1]
        (backend,) = [s for s in trace if s.parent_span_id == rpc.span_id]
        assert backend.kind == "SERVER" and backend.service_name == "inventory"
        line = next(json.loads(x) for x in logs.splitlines() if '"product served"' in x and request.trace_id in x)
        assert line["span_id"] == request.span_id
