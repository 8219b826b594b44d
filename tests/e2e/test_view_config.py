"""`rulec view` as the live configuration source: the rulec-built shop backend
polls the view's /config/backend, and a sampling ratio of 0 set through the
view's API stops its spans for new requests without a restart."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.procs import get
from support.shop import backend_running
from support.viewproc import View, rulec_view

pytestmark = pytest.mark.e2e

ROUTE = "/orders/{id}"


def _orders(view: View) -> int:
    """Stored backend requests on the orders route."""
    status, rows = view.api("/api/endpoints?service=backend&last=1h")
    assert status == 200, rows
    return next((r["requests"] for r in rows if r["endpoint"] == ROUTE), 0)


def _wait_orders(view: View, at_least: int) -> int:
    deadline = time.monotonic() + 20
    while (seen := _orders(view)) < at_least and time.monotonic() < deadline:
        time.sleep(0.2)
    return seen


def _requests(url: str, prefix: str, n: int = 10) -> None:
    for i in range(n):
        assert get(f"{url}/orders/{prefix}-{i}")[0] == 200


def test_ratio_zero_set_in_the_view_stops_new_spans(shop, tmp_path: Path) -> None:
    with rulec_view(tmp_path) as view:
        otel = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": view.otlp_http,
            "RULEC_CONFIG_URL": f"{view.console}config/backend",
            "RULEC_CONFIG_POLL_INTERVAL": "200ms",
        }
        with backend_running(shop.backend, otel) as (url, proc):
            _requests(url, "before")
            assert _wait_orders(view, 10) == 10  # an empty document ({}) changes nothing

            assert view.call("PUT", "/api/config?service=backend", {"sampling": {"ratio": 0}}) == (200, {"sampling": {"ratio": 0.0}})
            time.sleep(1.5)  # a few polls
            _requests(url, "during")

            # Back to 1: one marker request, sent after them, shows every earlier span has arrived.
            assert view.call("PUT", "/api/config?service=backend", {"sampling": {"ratio": 1}})[0] == 200
            time.sleep(1.5)
            assert get(f"{url}/orders/marker")[0] == 200
            assert _wait_orders(view, 11) == 11  # none of the ten "during" requests
            time.sleep(1)
            assert _orders(view) == 11
            proc.kill()
            log = proc.communicate()[0].decode()
    assert log.count("live configuration in force: sampling ratio 0;") == 1, log
