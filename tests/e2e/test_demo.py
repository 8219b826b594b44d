"""The README's first command, as a newcomer runs it: examples/demo.py builds the
shop with rulec, runs it against `rulec view`, prints its first traces and leaves
the console open with traffic flowing; Ctrl-C ends it. The console is then
visited page by page in real Chromium.

With RULEC_SCREENSHOTS=1 the test lets the traffic run a few minutes (so the
charts have points) and screenshots every page into docs/screenshots/: the
committed screenshots are made that way. A plain run writes nothing into the tree.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.gomod import ROOT
from support.viewproc import View

pytestmark = pytest.mark.e2e
pytest.importorskip("playwright.sync_api")

SHOTS = ROOT / "docs" / "screenshots" if os.environ.get("RULEC_SCREENSHOTS") == "1" else None
TRAFFIC_SECONDS = 150 if SHOTS else 0  # per-minute charts want a few minutes of points


@dataclass
class Demo:
    proc: subprocess.Popen[str]
    lines: queue.Queue[str | None]
    output: list[str]
    tmp: str  # where the demo makes its temporary folder
    console: str = ""

    def read_until(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.output.append(line)
            if m := re.search(pattern, line):
                return m
        pytest.fail(f"demo never printed {pattern!r}; it printed:\n{''.join(self.output)}")

    @property
    def view(self) -> View:
        """The demo's `rulec view`, to call its API as the console does."""
        return View(self.proc, self.console, "")


def _start_demo(tmp: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """examples/demo.py on free ports, its temporary folder made under `tmp`."""
    return subprocess.Popen(
        [sys.executable, "examples/demo.py", "--console-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0",
         "--no-open", *args],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data = tmp_path_factory.mktemp("demo-view")
    tmp = tmp_path_factory.mktemp("demo-tmp")
    proc = _start_demo(tmp, "--data", str(data))
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    started = Demo(proc, lines, [], tmp=str(tmp))
    try:
        started.console = started.read_until(r"The console: (\S+)", timeout=900).group(1)
        yield started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _wait(what: str, ready: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.3)


def test_demo_prints_the_first_traces(demo: Demo) -> None:
    text = "".join(demo.output)
    trees = re.findall(r"^trace [0-9a-f]{32}  \((\d+) spans\)$", text, re.M)
    assert trees == ["3", "3", "3"], text
    assert re.search(r"^  frontend  SERVER  GET /checkout/\{id\}  \[ERROR\].*url\.path=/checkout/fail", text, re.M)
    assert re.search(r"^    frontend  CLIENT  GET  \[UNSET\].*/orders/42 http\.response\.status_code=200", text, re.M)
    assert re.search(r"^      backend  SERVER  GET /orders/\{id\}  \[UNSET\].*url\.path=/orders/missing", text, re.M)


def test_console_pages_show_the_shops_traffic(demo: Demo, browser) -> None:  # noqa: ANN001
    _wait("checkouts from the demo's traffic", lambda: _requests(demo, "frontend") >= 10)
    services = {"frontend", "backend"}
    _wait("runtime metrics from both services", lambda: {i["service"] for i in demo.view.api("api/instances?last=15m")[1]} == services)
    # A user's first steps on the config and alerts pages, through the API they call.
    assert demo.view.call("PUT", "api/config?service=backend", {"sampling": {"ratio": 0.5}, "plugins": {"disabled": []}})[0] == 200
    rule = {"name": "checkout errors", "metric": "error_rate", "service": "frontend", "threshold": 0.02, "window": "15m"}
    assert demo.view.call("POST", "api/alerts", rule)[0] == 200
    _wait("the alert to fire", lambda: demo.view.api("api/alerts/events?limit=5")[1] != [])
    time.sleep(TRAFFIC_SECONDS)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def visit(route: str, ready: str) -> str:
        page.goto(f"{demo.console}#/{route}")
        page.wait_for_selector(f"main[data-ready='{ready}']")
        return page.inner_text("main")

    def shot(name: str, full_page: bool = True) -> None:
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    overview = visit("overview", "overview")
    assert "frontend" in overview and "backend" in overview
    shot("overview")
    visit("topology", "topology")
    edges = page.evaluate("document.getElementById('graph').cy.edges().map(e => [e.source().id(), e.target().id()])")
    assert ["frontend", "backend"] in edges
    shot("topology")
    assert "/checkout/{id}" in visit("service/frontend", "service")
    shot("service")
    assert "backend\tservice" in visit("dependencies/frontend", "dependencies")
    shot("dependencies")
    assert "/checkout/{id}" in visit("traces?service=frontend&status=error", "traces")
    shot("traces", full_page=False)  # a hundred rows
    failed = demo.view.api("api/traces?service=frontend&status=error&last=15m")[1][0]["trace_id"]
    visit(f"trace/{failed}", "trace")
    assert page.locator("[data-testid='waterfall'] .row").count() == 3
    page.locator("[data-testid='waterfall'] summary").nth(1).click()  # the client span's attributes
    assert "url.full" in page.inner_text("main")
    shot("trace")
    assert "process.runtime.go.goroutines" in visit("instances", "instances")
    shot("instances")
    visit("db", "db")  # the shop has no database: an empty page
    shot("db")
    assert "502" in visit("errors", "errors")
    assert page.locator(".chart canvas").count() == 1
    shot("errors")
    visit("config/backend", "config")
    assert page.input_value("input[name=ratio]") == "0.5"
    shot("config")
    assert "checkout errors" in visit("alerts", "alerts")
    shot("alerts")
    context.close()
    assert errors == []


def test_ctrl_c_stops_the_shop_and_the_view(demo: Demo) -> None:
    demo.proc.send_signal(signal.SIGINT)
    demo.read_until(r"rulec view: stopped, store flushed", timeout=60)
    assert demo.proc.wait(timeout=30) == 0
    # The temporary folder (the shop's binaries and logs) went with them.
    work = re.search(r"The shop's logs: (\S+)/frontend\.log", "".join(demo.output))
    assert work and work.group(1).startswith(demo.tmp) and not os.path.exists(work.group(1))


def test_a_failed_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    proc = _start_demo(tmp_path, env={"GOFLAGS": "-nosuchflag"})  # go refuses it at once
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "demo: rulec build ./frontend failed (status 2)" in out
    assert "Traceback" not in out and f"$ rulec build -o {tmp_path}/rulec-demo-" in out
    assert list(tmp_path.glob("rulec-demo-*")) == []


def _requests(demo: Demo, service: str) -> int:
    rows = demo.view.api("api/overview?last=15m")[1]["services"]
    return next((r["requests"] for r in rows if r["service"] == service), 0)
