"""`rulec view` end to end: the example shop built with rulec exports to a running
`rulec view`, whose API then shows both services and the frontend -> backend edge."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from support.procs import get
from support.shop import shop_running
from support.viewproc import View, rulec_view

pytestmark = pytest.mark.e2e

CHECKOUTS = 3


def _endpoint_requests(view: View, service: str) -> dict[str, int]:
    status, body = view.api(f"/api/endpoints?service={service}&last=1h")
    assert status == 200, body
    return {e["endpoint"]: e["requests"] for e in body}


def test_shop_traffic_in_overview_and_topology(shop, tmp_path: Path) -> None:
    with rulec_view(tmp_path) as view:
        with shop_running(shop.frontend, shop.backend, {"OTEL_EXPORTER_OTLP_ENDPOINT": view.otlp_http}) as (url, _, _):
            for order in range(CHECKOUTS):
                status, _, _ = get(f"{url}/checkout/{order + 40}")
                assert status == 200
            # Batches leave the SDK every 50 ms, the store commits every 200 ms.
            deadline = time.monotonic() + 20
            while _endpoint_requests(view, "frontend").get("/checkout/{id}", 0) < CHECKOUTS and time.monotonic() < deadline:
                time.sleep(0.2)

        assert _endpoint_requests(view, "frontend")["/checkout/{id}"] == CHECKOUTS
        assert _endpoint_requests(view, "backend")["/orders/{id}"] == CHECKOUTS
        _, overview = view.api("/api/overview?last=1h")
        services = {s["service"]: s for s in overview["services"]}
        assert {"frontend", "backend"} <= set(services)
        # Health checks count as requests too, hence >=.
        assert services["frontend"]["requests"] >= CHECKOUTS and services["frontend"]["errors"] == 0
        _, edges = view.api("/api/topology?last=1h")
        edge = next(e for e in edges if (e["source"], e["target"]) == ("frontend", "backend"))
        assert edge["target_kind"] == "service" and edge["calls"] == CHECKOUTS and edge["error_rate"] == 0
        _, traces = view.api("/api/traces?" + urlencode({"service": "frontend", "endpoint": "/checkout/{id}", "last": "1h"}))
        assert len(traces) == CHECKOUTS and all(t["spans"] >= 3 for t in traces)
