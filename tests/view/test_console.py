"""The web console in real headless Chromium (Debian's package, driven by Playwright):
`rulec view` gets synthetic shop traffic, and each page must show the figures the
test computes from the spans it sent. (The screenshots in docs/ come from the
README's demo instead: tests/e2e/test_demo.py.)"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from console_page import open_page as _open
from console_page import table_rows as _rows
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from otlp_client import kv
from support.viewproc import View, rulec_view
from traffic import export_request, shop_traffic

from rulec.view.static import missing_vendor

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")

TRACES = 14  # every seventh fails: checkouts 3 and 10


def _goroutines(service: str, instances: dict[str, int], resource: dict[str, object] | None = None) -> bytes:
    """A runtime gauge per instance, taken now so it falls in the console's window;
    `resource` adds further resource attributes."""
    request = ExportMetricsServiceRequest()
    for instance, value in instances.items():
        rm = request.resource_metrics.add()
        rm.resource.attributes.extend([kv("service.name", service), kv("service.instance.id", instance)])
        rm.resource.attributes.extend(kv(k, v) for k, v in (resource or {}).items())
        gauge = rm.scope_metrics.add().metrics.add(name="go.goroutine.count", unit="{goroutine}").gauge
        gauge.data_points.add(as_int=value, time_unix_nano=time.time_ns())
    return request.SerializeToString()


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> Iterator[View]:
    if missing_vendor():
        pytest.fail("console libraries missing: run view/console/build.sh")
    with rulec_view(tmp_path_factory.mktemp("view")) as started:
        assert started.send(export_request(shop_traffic(TRACES)).SerializeToString()) == 200
        assert started.send(_goroutines("frontend", {"fe-0": 12, "fe-1": 15}), "/v1/metrics") == 200
        deadline = time.monotonic() + 10
        while started.api("/api/overview?last=1h")[1]["services"] == [] and time.monotonic() < deadline:
            time.sleep(0.1)
        yield started


SPECS = shop_traffic(TRACES)  # the same spans the view fixture sends (a fixed seed)


def _requests(service: str, **match: object) -> tuple[int, int]:
    """(requests, errors) among the service's SERVER spans with these attributes."""
    hits = [s for s in SPECS if s.service == service and s.kind == "SERVER" and all(s.attributes.get(k) == v for k, v in match.items())]
    return len(hits), sum(s.error for s in hits)


def test_overview_shows_each_service_and_opens_its_traces(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "overview", "overview")
    assert page.locator(".chart canvas").count() == 4
    rows = {r[0]: r for r in _rows(page, "services")}
    for service, instances in (("frontend", 2), ("backend", 1)):
        requests, errors = _requests(service)
        assert rows[service][1:3] == [str(requests), str(errors)]
        assert rows[service][5] == str(instances)
    # The frontend's error count opens the failed checkouts, one opens its waterfall.
    page.locator("[data-testid='services'] tr", has_text="frontend").locator("td").nth(2).locator("a").click()
    page.wait_for_selector("main[data-ready='traces']")
    failed = _rows(page, "traces")
    assert len(failed) == _requests("frontend")[1] and all(r[4] == "ERROR" for r in failed)
    page.locator("[data-testid='traces'] tbody tr").first.locator("a").first.click()
    page.wait_for_selector("main[data-ready='trace']")
    trace_id = page.url.rsplit("/", 1)[1]
    spans = [s for s in SPECS if s.trace_id == trace_id]
    waterfall = page.locator("[data-testid='waterfall'] .row")
    assert waterfall.count() == len(spans) == 5
    db_span = next(s for s in spans if s.attributes.get("db.system") == "postgresql")
    row = page.locator(f"[data-span-id='{db_span.span_id}']")
    row.locator("summary").click()
    assert db_span.attributes["db.query.text"] in row.inner_text() and "pq.Error" in row.inner_text()  # attribute and event


def test_topology_graph_has_the_service_and_database_edges(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "topology", "topology")
    edges = page.evaluate(
        "document.getElementById('graph').cy.edges().map(e => [e.source().id(), e.target().id(), e.data('calls'), e.data('error_rate')])"
    )
    calls, errors = _requests("backend")
    by_pair = {(s, t): (c, r) for s, t, c, r in edges}
    assert by_pair[("frontend", "backend")] == (calls, pytest.approx(errors / calls))
    assert by_pair[("backend", "postgresql")] == (TRACES, pytest.approx(errors / calls))
    assert by_pair[("backend", "redis")] == (TRACES, 0)


def test_service_and_dependencies_pages(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "service/backend", "service")
    requests, errors = _requests("backend", **{"http.route": "/orders/{id}"})
    assert _rows(page, "endpoints")[0][:3] == ["/orders/{id}", str(requests), str(errors)]
    assert page.locator(".chart canvas").count() == 1
    _open(page, view, "dependencies/backend", "dependencies")
    peers = {r[0]: r for r in _rows(page, "dependencies")}
    assert peers["postgresql"][1:4] == ["database (postgresql)", str(TRACES), str(errors)]
    assert peers["redis"][2:4] == [str(TRACES), "0"]


def test_trace_search_by_service_and_status(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "traces", "traces")
    assert len(_rows(page, "traces")) == sum(_requests(s)[0] for s in ("frontend", "backend"))
    page.fill("input[name=service]", "backend")
    page.select_option("select[name=status]", "error")
    page.click("button[type=submit]")
    page.wait_for_function("location.hash.includes('status=error') && document.querySelector(\"main[data-ready='traces']\")")
    rows = _rows(page, "traces")
    assert len(rows) == _requests("backend")[1] and {r[1] for r in rows} == {"backend"}


def test_a_chart_point_opens_that_minutes_requests(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "overview", "overview")
    # Click the frontend's first point on "p99 latency", where ECharts drew it (on
    # "Requests per minute" the backend's point lies on top of it: same counts).
    x, y, minute_ms = page.evaluate(
        """async () => {
            const echarts = await import('/static/vendor/echarts.mjs');
            const node = document.querySelectorAll('.chart')[2];
            const chart = echarts.getInstanceByDom(node);
            const series = chart.getOption().series.findIndex((s) => s.name === 'frontend');
            const point = chart.getOption().series[series].data[0];
            const [px, py] = chart.convertToPixel({ seriesIndex: series }, point);
            const box = node.getBoundingClientRect();
            return [box.left + px, box.top + py, point[0]];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_function("location.hash.includes('since_ns=') && document.querySelector(\"main[data-ready='traces']\")")
    since = int(minute_ms) * 1_000_000
    window = f"since_ns={since}&until_ns={since + 60_000_000_000}"
    assert window in page.url
    want = view.api(f"/api/traces?service=frontend&{window}")[1]
    rows = _rows(page, "traces")
    assert len(rows) == len(want) > 0 and {r[1] for r in rows} == {"frontend"}
    # The window shows in From/To, and a search from the form keeps it.
    assert page.input_value("input[name=since]") != "" and page.input_value("input[name=until]") != ""
    page.select_option("select[name=status]", "error")
    page.click("button[type=submit]")
    page.wait_for_function("location.hash.includes('status=error') && document.querySelector(\"main[data-ready='traces']\")")
    assert window in page.url
    assert len(_rows(page, "traces")) == sum(r["status"] == "ERROR" for r in want)


def test_db_page_groups_normalised_statements(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "db", "db")
    rows = {r[1]: r for r in _rows(page, "statements")}
    failed = sum(s.error for s in SPECS if s.attributes.get("db.system") == "postgresql")
    assert rows["SELECT * FROM orders WHERE id = ?"][:4] == ["postgresql", "SELECT * FROM orders WHERE id = ?", str(TRACES), str(failed)]
    # The slowest example opens its trace.
    page.locator("[data-testid='statements'] tr", has_text="orders").locator("td").nth(6).locator("a").first.click()
    page.wait_for_selector("main[data-ready='trace']")
    assert page.locator("[data-testid='waterfall'] .row").count() == 5


def test_errors_page_counts_each_type(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "errors", "errors")
    assert page.locator(".chart canvas").count() == 1  # errors per minute
    rows = _rows(page, "errors")
    pq = [r for r in rows if r[1] == "pq.Error"]
    expected = sum(1 for s in SPECS if s.attributes.get("error.type") == "pq.Error")
    assert [r[0] for r in pq] == ["backend"] and pq[0][2:5] == ["SELECT orders", "CLIENT", str(expected)]


def test_instances_page_shows_runtime_metrics(page, view: View) -> None:  # noqa: ANN001
    _open(page, view, "instances", "instances")
    text = page.inner_text("main")
    for instance, value in (("fe-0", "12"), ("fe-1", "15")):
        assert re.search(rf"frontend · {instance}", text)
        assert re.search(rf"go\.goroutine\.count\s+{value} ", text)
    # Each instance's own requests, beside its metrics.
    served = {(s.service, s.instance): s for s in SPECS if s.kind == "SERVER"}
    red = [r[:2] for r in _rows(page, "instance-red")]
    for service, instance in sorted(served):
        hits = [s for s in SPECS if s.kind == "SERVER" and (s.service, s.instance) == (service, instance)]
        assert [str(len(hits)), str(sum(s.error for s in hits))] in red


def test_instances_are_named_by_host_and_pid(page, view: View) -> None:  # noqa: ANN001
    uuid = "5f0c6b9e-2d4a-4c1b-9e8f-0a1b2c3d4e5f"
    assert view.send(_goroutines("worker", {uuid: 3}, {"host.name": "build-7", "process.pid": 4242}), "/v1/metrics") == 200
    deadline = time.monotonic() + 10
    while not view.api("/api/instances?service=worker")[1] and time.monotonic() < deadline:
        time.sleep(0.1)
    _open(page, view, "instances", "instances")
    label = page.locator("h2", has_text="worker").locator("[data-testid='instance']")
    assert label.inner_text() == "build-7 · pid 4242" and label.get_attribute("title") == uuid
    assert uuid not in page.inner_text("main")  # on hover only
    # Without host and pid (the shop's resources have neither), the id itself.
    unnamed = page.locator("h2", has_text="frontend").locator("[data-testid='instance']")
    assert unnamed.all_inner_texts() == ["fe-0", "fe-1"]


def test_config_page_shows_and_saves_the_stored_settings(page, view: View) -> None:  # noqa: ANN001
    assert view.call("PUT", "/api/config?service=backend", {"sampling": {"ratio": 0.25}, "plugins": {"disabled": ["nethttp"]}})[0] == 200
    _open(page, view, "config", "config")
    assert ["backend", "0.25", "nethttp"] in _rows(page, "config-services")
    page.locator("[data-testid='config-services'] a", has_text="backend").click()
    page.wait_for_function("location.hash === '#/config/backend' && document.querySelector(\"main[data-ready='config']\")")
    assert page.input_value("input[name=ratio]") == "0.25"
    assert not page.is_checked("input[value=nethttp]") and page.is_checked("input[value=databasesql]")
    page.fill("input[name=ratio]", "0.5")
    page.check("input[value=nethttp]")
    page.uncheck("input[value=databasesql]")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid='config-status']:has-text('Saved.')")
    assert view.api("/config/backend") == (200, {"sampling": {"ratio": 0.5}, "plugins": {"disabled": ["databasesql"]}})


def test_alerts_page_shows_the_firing_rule_and_adds_one(page, view: View) -> None:  # noqa: ANN001
    rule = {"name": "frontend errors", "metric": "error_rate", "service": "frontend", "threshold": 0.05, "window": "24h"}
    assert view.call("POST", "/api/alerts", rule)[0] == 200
    deadline = time.monotonic() + 20
    while not view.api("/api/alerts/events")[1] and time.monotonic() < deadline:
        time.sleep(0.2)
    _open(page, view, "alerts", "alerts")
    errors = _requests("frontend")
    assert _rows(page, "alert-rules")[0][:4] == ["frontend errors", "firing", f"{errors[1] / errors[0]:.4f}", "error_rate > 0.05"]
    assert _rows(page, "alert-events")[0][1:3] == ["frontend errors", "firing"]
    page.fill("input[name=service]", "backend")
    page.select_option("select[name=metric]", "db_p99_ms")
    page.fill("input[name=threshold]", "1000")
    page.click("[data-testid='alert-form'] button[type=submit]")
    page.wait_for_function("document.querySelectorAll(\"[data-testid='alert-rules'] tbody tr\").length === 2")
    assert _rows(page, "alert-rules")[1][0] == "backend db_p99_ms > 1000"


def test_auto_refresh_reloads_the_figures(browser, tmp_path) -> None:  # noqa: ANN001
    """With auto-refresh ticked (remembered across visits), new traffic shows on the
    page without a reload; the browser's clock is Playwright's, moved on 10 s."""
    with rulec_view(tmp_path / "view") as fresh:
        assert fresh.send(export_request(shop_traffic(2, seed=7)).SerializeToString()) == 200
        context = browser.new_context()
        page = context.new_page()
        page.clock.install()
        _open(page, fresh, "overview", "overview")
        page.wait_for_function("document.querySelector(\"[data-testid='services']\") !== null")
        page.check("#live")
        frontend = page.locator("[data-testid='services'] tbody tr", has_text="frontend").locator("td").nth(1)
        assert frontend.inner_text() == "2"
        assert fresh.send(export_request(shop_traffic(3, seed=8)).SerializeToString()) == 200
        deadline = time.monotonic() + 10
        while any(s["requests"] < 5 for s in fresh.api("/api/overview?last=1h")[1]["services"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        page.clock.fast_forward(10_000)
        page.wait_for_function(
            "document.querySelector(\"[data-testid='services'] tbody tr td:nth-child(2)\")?.innerText.trim() === '5'"
        )
        page.reload()
        page.wait_for_selector("main[data-ready='overview']")
        assert page.is_checked("#live")
        context.close()
