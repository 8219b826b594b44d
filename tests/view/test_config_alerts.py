"""`rulec view` settings through its API, on a real `rulec view` process: the
per-service live configuration (and the document RULEC_CONFIG_URL reads), alert
rules evaluated against sent traffic with a real webhook receiver, and both
kept across a restart."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from support.viewproc import View, rulec_view
from traffic import export_request, shop_traffic

# What runtime-go/core/liveconfig.go decodes, strictly.
RUNTIME_KEYS = {"sampling": {"ratio"}, "plugins": {"disabled"}}


def _wait(what: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := what()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return found


def test_config_round_trip_validation_and_restart(tmp_path: Path) -> None:
    document = {"sampling": {"ratio": 0.25}, "plugins": {"disabled": ["nethttp", "databasesql"]}}
    with rulec_view(tmp_path) as view:
        status, got = view.api("/api/config?service=backend")
        assert status == 200 and {"nethttp", "databasesql", "gin", "grpc"} <= set(got["known_plugins"])
        assert "sampling" not in got  # nothing set: as configured at start
        assert view.api("/config/backend") == (200, {})
        stored = {**document, "plugins": {"disabled": ["databasesql", "nethttp"]}}  # sorted
        assert view.call("PUT", "/api/config?service=backend", document) == (200, stored)
        # POST does the same; a field left out means "as configured at start" again.
        assert view.call("POST", "/api/config?service=frontend", {"sampling": {"ratio": 0}}) == (200, {"sampling": {"ratio": 0.0}})
        for bad, message in (
            ({"sampling": {"ratio": 1.5}}, "sampling.ratio = 1.5: want a number from 0 to 1"),
            ({"sampling": {"ratio": True}}, "sampling.ratio = True"),
            ({"sampling": {"ratio": "half"}}, "want a number from 0 to 1"),
            ({"plugins": {"disabled": ["nethttp", "nosuch"]}}, "unknown plugin(s) nosuch"),
            ({"plugins": {"disabled": "nethttp"}}, "want a list of plugin names"),
            ({"sampling": {"ratio": 0.5, "rate": 1}}, "unknown key sampling.rate"),
            ({"tracing": {}}, "unknown key tracing"),
            (b"{not json", "body is not JSON"),
        ):
            status, answer = view.call("PUT", "/api/config?service=backend", bad)
            assert status == 400 and message in answer["error"], (bad, answer)
        assert view.call("PUT", "/api/config", document)[0] == 400  # no service
        assert view.api("/config")[0] == 400

    with rulec_view(tmp_path) as view:  # restarted: the settings stayed
        status, served = view.api("/config/backend")
        assert status == 200 and served == {"sampling": {"ratio": 0.25}, "plugins": {"disabled": ["databasesql", "nethttp"]}}
        assert view.api("/config?service=backend") == (200, served)
        assert set(served) <= set(RUNTIME_KEYS) and all(set(v) <= RUNTIME_KEYS[k] for k, v in served.items())
        listed = {s["service"]: s for s in view.api("/api/config")[1]["services"]}
        assert listed["frontend"]["sampling"] == {"ratio": 0.0} and "plugins" not in listed["frontend"]


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """Collects every POSTed JSON body with its path; yields its base URL and the list."""
    received: list[tuple[str, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, fmt: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def _rule(view: View, rule_id: int) -> dict[str, Any]:
    return next(r for r in view.api("/api/alerts")[1]["rules"] if r["id"] == rule_id)


def test_alerts_fire_resolve_post_webhooks_and_persist(tmp_path: Path) -> None:
    specs = shop_traffic(14, start_ns=time.time_ns() - 2_000_000_000)  # checkouts 3 and 10 fail with a 502
    errors = sum(s.error for s in specs if s.service == "frontend" and s.kind == "SERVER") / 14
    with webhook_receiver() as (hook, received), rulec_view(tmp_path, "--webhook", f"{hook}/global") as view:
        # A dead webhook first: its POSTs time out on the sender thread, evaluation goes on.
        dead = {"metric": "error_rate", "service": "frontend", "threshold": 0, "window": "5m", "webhook": "http://127.0.0.1:9/"}
        assert view.call("POST", "/api/alerts", dead)[0] == 200
        status, rule = view.call("POST", "/api/alerts", {"name": "checkout errors", "metric": "error_rate", "service": "frontend",
                                                         "endpoint": "/checkout/{id}", "threshold": 0.1, "window": "5m"})  # fmt: skip
        assert status == 200 and rule["state"] == "ok" and rule["window_s"] == 300
        own = {"metric": "db_p99_ms", "service": "backend", "threshold": 0.001, "window": "5m", "webhook": f"{hook}/own"}
        db_rule = view.call("POST", "/api/alerts", own)[1]
        ok_rule = view.call("POST", "/api/alerts", {"metric": "http_5xx_ratio", "service": "frontend", "threshold": 0.5, "window": "5m"})[1]
        for bad, message in (
            ({"metric": "cpu", "service": "x", "threshold": 1, "window": "5m"}, "metric 'cpu'"),
            ({"metric": "p99_ms", "service": "x", "threshold": 1, "window": "soon"}, "window:"),
            ({"metric": "p99_ms", "service": "x", "threshold": "1", "window": "5m"}, "threshold '1'"),
            ({"metric": "p99_ms", "service": "x", "threshold": 1, "window": "5m", "when": 1}, "unknown field 'when'"),
        ):
            status, answer = view.call("POST", "/api/alerts", bad)
            assert status == 400 and message in answer["error"], answer

        assert view.send(export_request(specs).SerializeToString()) == 200
        fired = _wait(lambda: [p for path, p in received if path == "/global" and p["rule_id"] == rule["id"]])
        assert fired[0]["state"] == "firing" and abs(fired[0]["value"] - errors) < 1e-9
        assert fired[0]["rule"]["name"] == "checkout errors" and fired[0]["rule"]["endpoint"] == "/checkout/{id}"
        own_hook = _wait(lambda: [p for path, p in received if path == "/own"])
        assert own_hook[0]["rule_id"] == db_rule["id"] and own_hook[0]["state"] == "firing"
        assert _rule(view, ok_rule["id"])["state"] == "ok" and abs(_rule(view, ok_rule["id"])["value"] - errors) < 1e-9

        # Raised above the error rate: the next evaluation resolves it.
        changed = {"name": "checkout errors", "metric": "error_rate", "service": "frontend", "threshold": 0.5, "window": "5m"}
        assert view.call("PUT", f"/api/alerts/{rule['id']}", changed)[0] == 200
        resolved = _wait(lambda: [p for path, p in received if p["rule_id"] == rule["id"] and p["state"] == "resolved"])
        assert resolved[0]["value"] == fired[0]["value"] and resolved[0]["threshold"] == 0.5
        events = view.api("/api/alerts/events")[1]
        assert [e["state"] for e in events if e["rule_id"] == rule["id"]] == ["resolved", "firing"]  # newest first
        assert view.call("DELETE", f"/api/alerts/{ok_rule['id']}", None) == (200, {"deleted": ok_rule["id"]})
        assert view.call("DELETE", f"/api/alerts/{ok_rule['id']}", None)[0] == 404
        sent = len(received)

    with webhook_receiver() as (hook, received), rulec_view(tmp_path, "--webhook", f"{hook}/global") as view:
        rules = {r["id"]: r for r in view.api("/api/alerts")[1]["rules"]}
        assert set(rules) == {1, rule["id"], db_rule["id"]} and rules[db_rule["id"]]["state"] == "firing"
        assert rules[rule["id"]]["threshold"] == 0.5 and rules[rule["id"]]["state"] == "ok"
        assert len(view.api("/api/alerts/events")[1]) >= 4
        time.sleep(5)  # two evaluations: the state was kept, so nothing fires again
        assert received == [] and sent >= 3
