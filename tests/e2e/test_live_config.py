"""Live configuration end to end: sampling ratio and plugin switches changed
in RULEC_CONFIG_FILE and at RULEC_CONFIG_URL while the service runs."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.metrics import counted
from support.procs import get
from support.shop import backend_running

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

# The file is re-read every second: a change is in force within 2 s.
FILE_DELAY = 2.5


def _traced(receiver: OtlpReceiver, prefix: str) -> int:
    return sum(1 for s in receiver.spans() if str(s.attributes.get("url.path", "")).startswith(prefix))


def _requests(url: str, prefix: str, n: int = 20) -> None:
    for i in range(n):
        assert get(f"{url}/orders{prefix}-{i}")[0] == 200


def _settle(receiver: OtlpReceiver, url: str, marker: str) -> None:
    """Send a sampled request and wait for it, so that every span sent before
    it has been received too (the exporter sends in order)."""
    get(f"{url}/orders/{marker}")
    receiver.wait_for(lambda spans: any(s.attributes.get("url.path") == f"/orders/{marker}" for s in spans), timeout=20)


def test_ratio_and_switch_change_live_in_the_file(shop, receiver: OtlpReceiver, tmp_path: Path) -> None:
    config = tmp_path / "rulec-live.toml"
    config.write_text("[sampling]\nratio = 1.0\n")
    otel = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
        "RULEC_CONFIG_FILE": str(config),
        "OTEL_METRIC_EXPORT_INTERVAL": "300",
    }
    with backend_running(shop.backend, otel) as (url, proc):
        _requests(url, "/file-a")
        config.write_text("[sampling]\nratio = 0.0\n")
        time.sleep(FILE_DELAY)
        _requests(url, "/file-b")

        config.write_text('[sampling]\nratio = 1.0\n[plugins]\ndisabled = ["nethttp"]\n')
        time.sleep(FILE_DELAY)
        _requests(url, "/file-c")
        config.write_text("not = [valid toml\n")  # logged once; the last good document stays
        time.sleep(FILE_DELAY)
        _requests(url, "/file-d")

        config.write_text("[sampling]\nratio = 1.0\n[plugins]\ndisabled = []\n")
        time.sleep(FILE_DELAY)
        _requests(url, "/file-e")
        _settle(receiver, url, "file-settled")
        # Sampling never thins metrics; a switched-off plugin records none.
        name, route = "http.server.request.duration", {"http.route": "/orders/{id}"}
        points = receiver.wait_for_metrics(lambda got: counted(got, name, proc.pid, **route) >= 61, timeout=20)
        assert counted(points, name, proc.pid, **route) == 20 + 20 + 20 + 1
        proc.kill()
        log = proc.communicate()[0].decode()

    assert _traced(receiver, "/orders/file-a") == 20
    assert _traced(receiver, "/orders/file-b") == 0  # ratio 0
    assert _traced(receiver, "/orders/file-c") == 0  # nethttp switched off
    assert _traced(receiver, "/orders/file-d") == 0  # still off: the malformed document changed nothing
    assert _traced(receiver, "/orders/file-e") == 20  # switched back on
    assert log.count("live configuration in force") == 4, log
    assert log.count(f"live configuration {config}:") == 1, log


@contextmanager
def config_server(document: dict) -> Iterator[tuple[str, dict]]:
    """Serves document (mutable: tests change it) as JSON; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = document["raw"] if "raw" in document else json.dumps(document).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/config", document
    finally:
        server.shutdown()
        server.server_close()


def test_ratio_and_switch_change_live_at_the_url(shop, receiver: OtlpReceiver) -> None:
    with config_server({"sampling": {"ratio": 0.0}}) as (config_url, document):
        otel = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
            "RULEC_CONFIG_URL": config_url,
            "RULEC_CONFIG_POLL_INTERVAL": "200ms",
        }
        with backend_running(shop.backend, otel) as (url, proc):
            time.sleep(1)  # the first fetch runs in the background
            _requests(url, "/url-a")
            document["sampling"]["ratio"] = 0.5
            time.sleep(1)
            _requests(url, "/url-b", n=400)
            document["sampling"]["ratio"] = 1.0
            document["plugins"] = {"disabled": ["nethttp"]}
            time.sleep(1)
            _requests(url, "/url-c")
            document["raw"] = b'{"sampling": {"ratio": "lots"}}'
            time.sleep(1)
            del document["raw"]
            document["plugins"]["disabled"] = []
            time.sleep(1)
            _requests(url, "/url-d")
            _settle(receiver, url, "url-settled")
            proc.kill()
            log = proc.communicate()[0].decode()

    assert _traced(receiver, "/orders/url-a") == 0
    assert 120 <= _traced(receiver, "/orders/url-b") <= 280  # about half of 400
    assert _traced(receiver, "/orders/url-c") == 0
    assert _traced(receiver, "/orders/url-d") == 20
    assert log.count(f"live configuration {config_url}:") == 1, log
    # The config requests are the runtime's own: never traced.
    assert not [s for s in receiver.spans() if "/config" in str(s.attributes.get("url.full", ""))]
