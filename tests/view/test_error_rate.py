"""One definition of an error on every page: a real `rulec view` gets a known mix of
spans over OTLP/HTTP (4xx and 5xx on servers and clients, statuses that disagree
with them, spans without HTTP), and every API figure and console page that counts
errors must show what each span's verdict below adds up to.

The verdicts are OpenTelemetry's: a SERVER span fails on 5xx (without an HTTP
status, on status ERROR), a CLIENT span on 4xx, 5xx or status ERROR, any other
span on status ERROR. Each is written out per span, not recomputed by a rule."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from console_page import open_page, table_rows
from support.viewproc import View, rulec_view
from traffic import Spec, export_request

T0 = time.time_ns() - 120_000_000_000  # within the console's default window
WEB, API = ("web", "web-1"), ("api", "api-1")


def _span(where: tuple[str, str], trace: int, n: int, parent: int, kind: str, http: int | None, error: bool, **attrs: object) -> Spec:
    """Span n of trace `trace` (parent 0: a root); `error` sets status ERROR, `http` the response status."""
    prefix = f"{trace + 1:08x}"
    ids = {"trace_id": f"{trace + 1:032x}", "span_id": f"{prefix}{n:08x}", "parent": f"{prefix}{parent:08x}" if parent else ""}
    if http is not None:
        attrs["http.response.status_code"] = http
    name = str(attrs.get("http.route", attrs.get("db.system", kind.lower())))
    return Spec(*where, **ids, name=name, kind=kind, start_ns=T0 + trace * 1_000_000_000 + n, duration_ns=1_000_000 * (n + 1),
                error=error, attributes=attrs)  # fmt: skip


def _web_call(trace: int, server: tuple[int, bool], client: tuple[int, bool], backend: tuple[int, bool]) -> list[Spec]:
    """web's /checkout calls api's /orders: each side's (HTTP status, status ERROR)."""
    return [
        _span(WEB, trace, 1, 0, "SERVER", *server, **{"http.route": "/checkout"}),
        _span(WEB, trace, 2, 1, "CLIENT", *client, **{"server.address": "api", "server.port": 8080}),
        _span(API, trace, 3, 2, "SERVER", *backend, **{"http.route": "/orders"}),
    ]


SELECT = {"db.system": "postgresql", "db.query.text": "SELECT * FROM carts WHERE id = 7"}
# (span, is it an error?)
MIX: list[tuple[Spec, bool]] = [
    *zip(_web_call(0, (200, False), (200, False), (200, False)), (False, False, False), strict=True),
    # A 404: the caller's error, not the server's, whatever status the SDKs set (web
    # answers its own caller 500).
    *zip(_web_call(1, (500, False), (404, False), (404, False)), (True, True, False), strict=True),
    *zip(_web_call(2, (404, True), (404, True), (404, True)), (False, True, False), strict=True),
    # A 5xx fails both sides, even left UNSET.
    *zip(_web_call(3, (502, False), (500, True), (500, False)), (True, True, True), strict=True),
    # No HTTP status (connection refused, no answer): the status decides.
    (_span(WEB, 4, 1, 0, "SERVER", 503, True, **{"http.route": "/checkout"}), True),
    (_span(WEB, 4, 2, 1, "CLIENT", None, True, **{"server.address": "api", "server.port": 8080}), True),
    (_span(WEB, 5, 1, 0, "CONSUMER", None, True), True),
    (_span(WEB, 5, 2, 1, "INTERNAL", None, True), True),
    (_span(WEB, 5, 3, 1, "CLIENT", None, True, **SELECT), True),
    (_span(WEB, 6, 1, 0, "CONSUMER", None, False), False),
    (_span(WEB, 6, 2, 1, "CLIENT", None, False, **SELECT), False),
    (_span(API, 7, 1, 0, "SERVER", None, True, **{"http.route": "/orders"}), True),
    (_span(API, 8, 1, 0, "SERVER", None, False, **{"http.route": "/orders"}), False),
    (_span(API, 9, 1, 0, "SERVER", 503, False, **{"http.route": "/orders"}), True),
]
SPANS = [s for s, _ in MIX]
FAILED = {s.span_id for s, error in MIX if error}


def _red(specs: list[Spec]) -> tuple[int, int]:
    return len(specs), sum(s.span_id in FAILED for s in specs)


def _requests(service: str) -> list[Spec]:
    return [s for s in SPANS if s.service == service and s.kind in ("SERVER", "CONSUMER")]


def _calls(target: str) -> list[Spec]:
    """web's client spans answered by `target`: api's SERVER spans, else the peer they name."""
    answered = {s.parent for s in SPANS if s.service == "api" and s.kind == "SERVER"}
    clients = [s for s in SPANS if s.service == "web" and s.kind == "CLIENT"]
    if target == "api":
        return [s for s in clients if s.span_id in answered]
    if target == "postgresql":
        return [s for s in clients if "db.system" in s.attributes]
    return [s for s in clients if s.span_id not in answered and "db.system" not in s.attributes]


TARGETS = {"api": "service", "postgresql": "database", "api:8080": "peer"}


def test_the_mix_covers_each_rule() -> None:
    # Statuses that disagree with the verdict, on both sides: the point of the mix.
    assert any(s.error and s.span_id not in FAILED for s in SPANS)  # a server's 404 marked ERROR
    assert any(not s.error and s.span_id in FAILED for s in SPANS)  # a 404 or 5xx left UNSET
    assert {_red(_calls(t)) for t in TARGETS} == {(4, 3), (1, 1), (2, 1)}


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Iterator[View]:
    with rulec_view(tmp_path_factory.mktemp("view")) as started:
        assert started.send(export_request(SPANS).SerializeToString()) == 200
        deadline = time.monotonic() + 10
        while len(_api(started, "/api/traces?limit=1000")) < len(_requests("web") + _requests("api")) and time.monotonic() < deadline:
            time.sleep(0.1)
        yield started


def _api(view: View, path: str) -> Any:
    status, body = view.api(path)
    assert status == 200, body
    return body


def test_overview_endpoints_and_instances(view: View) -> None:
    services = {s["service"]: (s["requests"], s["errors"]) for s in _api(view, "/api/overview")["services"]}
    assert services == {"web": _red(_requests("web")), "api": _red(_requests("api"))}
    series = _api(view, "/api/overview")["series"]
    assert sum(m["errors"] for m in series) == sum(e for _, e in services.values())
    for service in ("web", "api"):
        got = {e["endpoint"]: (e["requests"], e["errors"]) for e in _api(view, f"/api/endpoints?service={service}")}
        endpoints = {s.name for s in _requests(service)}  # the route, else the span name: what the view names it
        assert got == {e: _red([s for s in _requests(service) if s.name == e]) for e in endpoints}
    red = {r["instance"]: (r["requests"], r["errors"]) for r in _api(view, "/api/instances/red")}
    assert red == {"web-1": services["web"], "api-1": services["api"]}


def test_topology_and_dependencies(view: View) -> None:
    edges = {(e["source"], e["target"]): e for e in _api(view, "/api/topology")}
    assert set(edges) == {("web", t) for t in TARGETS}
    deps = {d["peer"]: d for d in _api(view, "/api/dependencies?service=web")}
    for target, kind in TARGETS.items():
        calls, errors = _red(_calls(target))
        assert (edges[("web", target)]["calls"], edges[("web", target)]["error_rate"]) == (calls, pytest.approx(errors / calls))
        assert (deps[target]["target_kind"], deps[target]["requests"], deps[target]["errors"]) == (kind, calls, errors)
    statements = _api(view, "/api/db_statements?service=web")
    assert [(r["calls"], r["errors"]) for r in statements] == [_red(_calls("postgresql"))]


def test_trace_search_and_traces(view: View) -> None:
    requests = _requests("web") + _requests("api")
    failed = {s.span_id for s in requests if s.span_id in FAILED}
    assert {t["span_id"] for t in _api(view, "/api/traces?status=error&limit=1000")} == failed
    assert {t["span_id"] for t in _api(view, "/api/traces?status=ok&limit=1000")} == {s.span_id for s in requests} - failed
    for trace_id in {s.trace_id for s in SPANS}:
        assert {s["span_id"] for s in _api(view, f"/api/trace?trace_id={trace_id}") if s["error"]} == FAILED & {
            s.span_id for s in SPANS if s.trace_id == trace_id
        }


def test_errors_page_counts_every_failed_span(view: View) -> None:
    want = Counter(s.service for s in SPANS if s.span_id in FAILED)
    got: Counter[str] = Counter()
    for row in _api(view, "/api/errors"):
        got[row["service"]] += row["count"]
    assert got == want
    series: Counter[str] = Counter()
    for row in _api(view, "/api/errors/series"):
        series[row["service"]] += row["count"]
    assert series == want
    # A client's 404 with neither error.type nor a message is named by its status.
    assert {r["error_type"] for r in _api(view, "/api/errors?service=web") if r["kind"] == "CLIENT"} >= {"404"}


def test_error_rate_alert(view: View) -> None:
    rule = {"metric": "error_rate", "service": "web", "threshold": 0, "window": "1h"}
    assert view.call("POST", "/api/alerts", rule)[0] == 200
    deadline = time.monotonic() + 10
    while (value := _api(view, "/api/alerts")["rules"][0]["value"]) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    requests, errors = _red(_requests("web"))
    assert value == pytest.approx(errors / requests)


@pytest.mark.e2e
def test_every_page_shows_the_same_figures(page: Any, view: View) -> None:
    web, api = _red(_requests("web")), _red(_requests("api"))
    open_page(page, view, "overview", "overview")
    overview = {r[0]: r[1:3] for r in table_rows(page, "services")}
    assert overview == {"web": [str(web[0]), str(web[1])], "api": [str(api[0]), str(api[1])]}
    open_page(page, view, "service/api", "service")
    assert table_rows(page, "endpoints")[0][:3] == ["/orders", str(api[0]), str(api[1])]
    open_page(page, view, "dependencies/web", "dependencies")
    deps = {r[0]: r[2:4] for r in table_rows(page, "dependencies")}
    assert deps == {t: [str(n) for n in _red(_calls(t))] for t in TARGETS}
    open_page(page, view, "topology", "topology")
    edges = {(r[0], r[1]): r[4] for r in table_rows(page, "edges")}
    for target in TARGETS:
        calls, errors = _red(_calls(target))
        assert edges[("web", target)] == f"{errors / calls * 100:.1f}%"
    open_page(page, view, "instances", "instances")
    assert sorted(r[:2] for r in table_rows(page, "instance-red")) == sorted([[str(n) for n in api], [str(n) for n in web]])
    open_page(page, view, "errors", "errors")
    assert sum(int(r[4]) for r in table_rows(page, "errors")) == len(FAILED)
    open_page(page, view, "db", "db")
    assert table_rows(page, "statements")[0][2:4] == [str(n) for n in _red(_calls("postgresql"))]
    # Each of those pages says what an error is.
    for route in ("overview", "service/api", "dependencies/web", "topology", "instances", "errors", "db", "traces"):
        open_page(page, view, route, route.split("/")[0])
        assert "a 404 counts against the caller" in page.inner_text("[data-testid='errors-help']")
