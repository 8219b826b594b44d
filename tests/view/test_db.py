"""The DuckDB store behind `rulec view`, fed over real OTLP/HTTP and OTLP/gRPC, and
the console's queries checked against figures computed from what was sent."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc
from otlp_client import TIME_NS, kv, make_metrics_request, post
from traffic import Spec, export_request, p99, shop_traffic

from rulec.view import queries
from rulec.view.app import ViewApp
from rulec.view.db import ViewDb
from rulec.view.receiver import OtlpReceiver
from rulec.view.rows import normalise_statement
from rulec.view.rpc_status import UNAVAILABLE, Status
from rulec.view.spans import Span
from rulec.view.store import Stores

TRAFFIC = shop_traffic(40)
# Wide enough for every span, narrow enough to rule out the epoch.
SINCE, UNTIL = TRAFFIC[0].start_ns - 1, TRAFFIC[-1].start_ns + 10**12


@pytest.fixture
def app(tmp_path: Path) -> Iterator[ViewApp]:
    with ViewApp(tmp_path / "data", retention_s=86400) as started:
        yield started


def _send_http(app: ViewApp, specs: list[Spec]) -> None:
    status, _, _ = post(app.receiver, export_request(specs).SerializeToString())
    assert status == 200


def _send_grpc(app: ViewApp, specs: list[Spec]) -> None:
    with grpc.insecure_channel(app.receiver.grpc_target) as channel:
        trace_service_pb2_grpc.TraceServiceStub(channel).Export(export_request(specs), timeout=5)


@pytest.fixture
def loaded(app: ViewApp) -> ViewApp:
    """Half the traffic over HTTP, half over gRPC, then flushed."""
    half = len(TRAFFIC) // 2
    _send_http(app, TRAFFIC[:half])
    _send_grpc(app, TRAFFIC[half:])
    app.db.flush()
    return app


def _query(app: ViewApp, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    con = app.db.reader()
    try:
        return fn(con, *args, **kwargs)
    finally:
        con.close()


def _red(specs: list[Spec]) -> dict[str, object]:
    durations = [s.duration_ns for s in specs]
    return {
        "requests": len(specs),
        "errors": sum(s.error for s in specs),
        "avg_ns": pytest.approx(sum(durations) / len(durations)),
        "p99_ns": pytest.approx(p99(durations)),
    }


def _servers(service: str) -> list[Spec]:
    return [s for s in TRAFFIC if s.service == service and s.kind == "SERVER"]


def test_overview_per_service(loaded: ViewApp) -> None:
    got = _query(loaded, queries.overview, SINCE, UNTIL)
    assert got["services"] == [
        {"service": "backend", **_red(_servers("backend")), "instances": 1},
        {"service": "frontend", **_red(_servers("frontend")), "instances": 2},
    ]
    # The per-minute series adds up to the totals.
    for service in ("backend", "frontend"):
        minutes = [m for m in got["series"] if m["service"] == service]
        assert sum(m["requests"] for m in minutes) == len(_servers(service))
        assert all(m["minute_ns"] % queries.MINUTE_NS == 0 for m in minutes)


def test_instance_red(loaded: ViewApp) -> None:
    got = _query(loaded, queries.instance_red, SINCE, UNTIL)
    want = sorted({(s.service, s.instance) for s in TRAFFIC if s.kind == "SERVER"})
    assert [(r["service"], r["instance"]) for r in got] == want
    for row in got:
        served = [s for s in _servers(row["service"]) if s.instance == row["instance"]]
        assert {k: row[k] for k in ("requests", "errors", "avg_ns", "p99_ns")} == _red(served)


def test_endpoints_and_dependencies(loaded: ViewApp) -> None:
    assert _query(loaded, queries.endpoints, "backend", SINCE, UNTIL) == [{"endpoint": "/orders/{id}", **_red(_servers("backend"))}]
    deps = {d["peer"]: d for d in _query(loaded, queries.dependencies, "backend", SINCE, UNTIL)}
    assert set(deps) == {"postgresql", "redis"}
    for system in ("postgresql", "redis"):
        calls = [s for s in TRAFFIC if s.attributes.get("db.system") == system]
        assert {k: deps[system][k] for k in ("requests", "errors", "avg_ns", "p99_ns")} == _red(calls)
    frontend = _query(loaded, queries.dependencies, "frontend", SINCE, UNTIL)
    # The frontend's HTTP calls were answered by the instrumented backend: named as it.
    assert [(d["peer"], d["target_kind"], d["requests"]) for d in frontend] == [("backend", "service", len(_servers("frontend")))]


def test_topology_edges(loaded: ViewApp) -> None:
    edges = {(e["source"], e["target"], e["target_kind"]): e for e in _query(loaded, queries.topology, SINCE, UNTIL)}
    assert set(edges) == {("frontend", "backend", "service"), ("backend", "postgresql", "database"), ("backend", "redis", "database")}
    clients = [s for s in TRAFFIC if s.service == "frontend" and s.kind == "CLIENT"]
    edge = edges[("frontend", "backend", "service")]
    assert edge["calls"] == len(clients)
    assert edge["error_rate"] == pytest.approx(sum(s.error for s in clients) / len(clients))
    assert edge["avg_ns"] == pytest.approx(sum(s.duration_ns for s in clients) / len(clients))


def test_traces_search_and_one_trace(loaded: ViewApp) -> None:
    failed = [s for s in _servers("frontend") if s.error]
    got = _query(loaded, queries.traces, SINCE, UNTIL, service="frontend", status="error")
    assert [t["trace_id"] for t in got] == [s.trace_id for s in sorted(failed, key=lambda s: -s.start_ns)]
    assert {t["spans"] for t in got} == {5}
    slow = sorted(s.duration_ns for s in _servers("backend"))[-3]
    got = _query(loaded, queries.traces, SINCE, UNTIL, endpoint="/orders/{id}", min_duration_ns=slow)
    assert len(got) == 3 and all(t["service"] == "backend" for t in got)
    assert len(_query(loaded, queries.traces, SINCE, UNTIL, limit=7)) == 7

    spans = _query(loaded, queries.trace, failed[0].trace_id)
    sent = [s for s in TRAFFIC if s.trace_id == failed[0].trace_id]
    assert [s["span_id"] for s in spans] == [s.span_id for s in sent]
    db_span = spans[3]
    assert db_span["attributes"]["db.query.text"].startswith("SELECT * FROM orders WHERE id = ")
    assert db_span["events"] == [{"name": "exception", "attributes": {"exception.type": "pq.Error", "exception.message": "deadlock"}}]
    assert db_span["resource"] == {"service.name": "backend", "service.instance.id": "be-0"}
    assert db_span["error_type"] == "pq.Error" and db_span["status"] == "ERROR"


def test_db_statements_grouped_normalised(loaded: ViewApp) -> None:
    got = {s["statement"]: s for s in _query(loaded, queries.db_statements, SINCE, UNTIL)}
    assert set(got) == {"SELECT * FROM orders WHERE id = ?", "GET order:?"}
    selects = [s for s in TRAFFIC if s.attributes.get("db.system") == "postgresql"]
    row = got["SELECT * FROM orders WHERE id = ?"]
    assert {k: row[k] for k in ("errors", "avg_ns", "p99_ns")} == {k: v for k, v in _red(selects).items() if k != "requests"}
    assert row["calls"] == len(selects)
    assert row["slowest_trace_ids"] == [s.trace_id for s in sorted(selects, key=lambda s: -s.duration_ns)[:3]]


def test_errors_grouped(loaded: ViewApp) -> None:
    failed = sum(s.error for s in _servers("frontend"))
    got = {(e["service"], e["error_type"], e["endpoint"]): e["count"] for e in _query(loaded, queries.errors, SINCE, UNTIL)}
    assert got == {
        ("frontend", "failed", "/checkout/{id}"): failed,
        ("frontend", "failed", "GET"): failed,
        ("backend", "failed", "/orders/{id}"): failed,
        # error.type names the database span's error; the others only have a status message.
        ("backend", "pq.Error", "SELECT orders"): failed,
    }


def test_error_series_counts_each_minute(loaded: ViewApp) -> None:
    got = {(e["service"], e["error_type"], e["minute_ns"]): e["count"] for e in _query(loaded, queries.error_series, SINCE, UNTIL)}
    want: dict[tuple[str, str, int], int] = {}
    for s in TRAFFIC:
        if s.error:
            key = (s.service, s.attributes.get("error.type", "failed"), s.start_ns // queries.MINUTE_NS * queries.MINUTE_NS)
            want[key] = want.get(key, 0) + 1
    assert got == want and sum(got.values()) == 4 * sum(s.error for s in _servers("frontend"))


def test_window_excludes_older_spans(loaded: ViewApp) -> None:
    cut = TRAFFIC[len(TRAFFIC) // 2].start_ns
    got = _query(loaded, queries.overview, cut, UNTIL)["services"]
    assert {s["service"]: s["requests"] for s in got} == {
        service: len([s for s in _servers(service) if s.start_ns >= cut]) for service in ("backend", "frontend")
    }


def test_metric_points_stored_and_latest_per_instance(tmp_path: Path) -> None:
    # The sample request's points are from 2023: a retention long enough to keep them.
    with ViewApp(tmp_path, retention_s=10**11) as app:
        for service in ("backend", "frontend"):
            status, _, _ = post(app.receiver, make_metrics_request(service).SerializeToString(), path="/v1/metrics")
            assert status == 200
        app.db.flush()
        con = app.db.reader()
        try:
            rows = con.execute("SELECT name, kind, service, value, count, sum FROM metric_points WHERE service = 'backend' ORDER BY name")
            assert rows.fetchall() == [
                ("app.pool.utilization", "gauge", "backend", 0.25, None, None),
                ("app.requests", "sum", "backend", 7.0, None, None),
                ("http.server.request.duration", "histogram", "backend", None, 3, 0.75),
            ]
            got = queries.instances(con, 0, 2**62, service="frontend")
        finally:
            con.close()
    assert [(r["name"], r["latest"], r["latest_ns"], r["points"]) for r in got] == [
        ("app.pool.utilization", 0.25, TIME_NS, 1),
        ("app.requests", 7.0, TIME_NS, 1),
    ]


def test_instances_carry_host_name_and_pid(tmp_path: Path) -> None:
    """What the console names an instance by; null where no instance id sets one process apart."""
    host: dict[str, object] = {"host.name": "db-host", "process.pid": 4242}
    specs = [s for s in TRAFFIC if s.service == "backend"] + [replace(s, instance="") for s in _servers("frontend")]
    metrics = make_metrics_request("backend")
    metrics.resource_metrics[0].resource.attributes.extend(kv(k, v) for k, v in {"service.instance.id": "be-0", **host}.items())
    with ViewApp(tmp_path, retention_s=10**11) as app:
        # The frontend's spans have a host but no instance id: they may be several processes.
        body = export_request(specs, lambda service, _: host if service == "backend" else {"host.name": "fe-host"}).SerializeToString()
        assert post(app.receiver, body)[0] == 200
        assert post(app.receiver, metrics.SerializeToString(), path="/v1/metrics")[0] == 200
        app.db.flush()
        red = _query(app, queries.instance_red, 0, 2**62)
        points = _query(app, queries.instances, 0, 2**62)
    assert [(r["service"], r["instance"], r["host_name"], r["process_pid"]) for r in red] == [
        ("backend", "be-0", "db-host", 4242),
        ("frontend", None, None, None),
    ]
    assert {(r["instance"], r["host_name"], r["process_pid"]) for r in points} == {("be-0", "db-host", 4242)}


def test_malformed_request_gets_400_and_keeps_stored_data(loaded: ViewApp) -> None:
    status, _, _ = post(loaded.receiver, b"\xff\xff not protobuf")
    assert status == 400
    status, _, _ = post(loaded.receiver, b"{not json", content_type="application/json")
    assert status == 400
    loaded.db.flush()
    assert _query(loaded, queries.overview, SINCE, UNTIL)["services"][1]["requests"] == len(_servers("frontend"))
    assert loaded.receiver.malformed_requests == 2


def test_data_survives_restart(tmp_path: Path) -> None:
    with ViewApp(tmp_path, retention_s=86400) as first:
        _send_http(first, TRAFFIC)
    with ViewApp(tmp_path, retention_s=86400) as second:
        got = _query(second, queries.overview, SINCE, UNTIL)["services"]
        assert [s["requests"] for s in got] == [len(_servers("backend")), len(_servers("frontend"))]


def test_retention_deletes_old_rows(tmp_path: Path) -> None:
    now = time.time_ns()
    old = shop_traffic(3, start_ns=now - 30 * 10**9, seed=2)
    fresh = shop_traffic(4, start_ns=now, seed=3)
    with ViewApp(tmp_path, retention_s=10) as app:
        _send_http(app, old + fresh)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            con = app.db.reader()
            (count,) = con.execute("SELECT count(*) FROM spans").fetchone() or (0,)
            con.close()
            if count == len(fresh):
                break
            time.sleep(0.1)
        assert count == len(fresh)


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("SELECT * FROM t WHERE id = 42 AND name = 'o''brien'", "SELECT * FROM t WHERE id = ? AND name = ?"),
        ("select a\n  from t where id in (1, 2,3) and x = $1", "select a from t where id in (?) and x = ?"),
        ("SELECT t2.col FROM t2", "SELECT t2.col FROM t2"),
    ],
)
def test_normalise_statement(text: str, normal: str) -> None:
    assert normalise_statement(text) == normal


def test_out_of_range_numbers_are_clamped_not_refused(app: ViewApp) -> None:
    """uint64 times and a nonsense status code still fit their columns."""
    spec = shop_traffic(1, seed=5)[0]
    request = export_request([spec])
    pb = request.resource_spans[0].scope_spans[0].spans[0]
    pb.end_time_unix_nano = 2**64 - 1
    pb.attributes[2].value.int_value = 2**40  # http.response.status_code
    assert post(app.receiver, request.SerializeToString())[0] == 200
    app.db.flush()
    con = app.db.reader()
    assert con.execute("SELECT duration_ns, http_status FROM spans").fetchall() == [(2**63 - 1, None)]
    con.close()
    assert app.db.dropped_batches == 0


def test_a_refused_batch_does_not_take_others_down(tmp_path: Path) -> None:
    db = ViewDb(tmp_path, retention_s=86400)
    try:
        good = [Span(trace_id="ab" * 16, span_id="cd" * 8, name="ok", start_ns=time.time_ns())]
        db.add_spans(good)
        db.add_spans([Span(trace_id=None, span_id="ef" * 8, name="bad")])  # type: ignore[arg-type]  # NOT NULL
        db.add_spans(good)
        db.flush()
        con = db.reader()
        assert con.execute("SELECT count(*) FROM spans").fetchone() == (2,)
        con.close()
        assert db.dropped_batches == 1
    finally:
        db.close()


def test_a_store_behind_answers_retry_later_and_keeps_what_it_took(tmp_path: Path) -> None:
    """With more rows waiting for the writer than it may queue, a new export gets
    OTLP's retryable answer (HTTP 503 with Retry-After, gRPC UNAVAILABLE); what was
    accepted before is committed. The writer is held still (an hour between flushes)
    so the queue stays full for the test."""
    specs = shop_traffic(2)  # 10 spans
    db = ViewDb(tmp_path, retention_s=86400, max_queued_rows=10, flush_seconds=3600)
    with OtlpReceiver(0, 0, Stores.forwarding(db.add_spans, db.add_metrics)) as receiver:
        assert post(receiver, export_request(specs).SerializeToString())[0] == 200  # an empty queue takes it all
        conn = http.client.HTTPConnection("127.0.0.1", receiver.http_port, timeout=5)
        conn.request("POST", "/v1/traces", body=export_request(specs[:1]).SerializeToString(),
                     headers={"Content-Type": "application/x-protobuf"})
        answer = conn.getresponse()
        assert (answer.status, answer.getheader("Retry-After")) == (503, "1")
        assert Status.FromString(answer.read()).code == UNAVAILABLE
        conn.close()
        with grpc.insecure_channel(receiver.grpc_target) as channel, pytest.raises(grpc.RpcError) as refused:
            trace_service_pb2_grpc.TraceServiceStub(channel).Export(export_request(specs[:1]), timeout=5)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE
    db.close()  # drains the queue
    reopened = ViewDb(tmp_path, retention_s=86400)
    con = reopened.reader()
    assert con.execute("SELECT count(*) FROM spans").fetchone() == (len(specs),)
    con.close()
    reopened.close()
