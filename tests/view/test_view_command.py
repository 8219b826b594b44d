"""`rulec view` as a process: addresses printed at start, the JSON API, a clean stop
on SIGTERM, and data kept across a restart and across SIGKILL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from traffic import export_request, shop_traffic

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class View:
    proc: subprocess.Popen[str]
    console: str
    otlp_http: str

    def api(self, path: str) -> tuple[int, Any]:
        try:
            with urllib.request.urlopen(self.console + path.lstrip("/"), timeout=10) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as exc:
            return exc.code, json.load(exc)

    def send(self, body: bytes) -> int:
        req = urllib.request.Request(self.otlp_http + "/v1/traces", data=body, headers={"Content-Type": "application/x-protobuf"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status


@contextmanager
def rulec_view(data: Path, *extra: str) -> Iterator[View]:
    args = ["view", "--port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--data", str(data), *extra]
    proc = subprocess.Popen(
        [sys.executable, "-m", "compiler.cli", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = "".join(proc.stdout.readline() for _ in range(3))
        console = re.search(r"console\s+(http://127\.0\.0\.1:\d+/)", banner)
        otlp = re.search(r"OTLP/HTTP (http://127\.0\.0\.1:\d+)", banner)
        assert console and otlp, banner
        yield View(proc, console.group(1), otlp.group(1))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _requests(view: View) -> dict[str, int]:
    status, body = view.api("/api/overview?last=1h")
    assert status == 200, body
    return {s["service"]: s["requests"] for s in body["services"]}


def _stop(view: View) -> str:
    view.proc.send_signal(signal.SIGTERM)
    out, _ = view.proc.communicate(timeout=20)
    assert view.proc.returncode == 0
    return out


def test_api_answers_and_sigterm_flushes(tmp_path: Path) -> None:
    traffic = shop_traffic(10)
    with rulec_view(tmp_path) as view:
        with urllib.request.urlopen(view.console, timeout=10) as resp:
            assert b"/api/topology" in resp.read()
        assert view.send(export_request(traffic).SerializeToString()) == 200
        assert view.api("/api/endpoints")[0] == 400  # service is required
        assert view.api("/api/nope")[0] == 404
        assert view.api("/api/traces?status=maybe")[0] == 400
        assert "stopped, store flushed" in _stop(view)
    # Sent just before SIGTERM, yet stored: the stop flushes.
    with rulec_view(tmp_path) as view:
        assert _requests(view) == {"backend": 10, "frontend": 10}
        status, spans = view.api(f"/api/trace?trace_id={traffic[0].trace_id}")
        assert status == 200 and [s["span_id"] for s in spans] == [s.span_id for s in traffic[:5]]


def test_sigkill_loses_at_most_the_last_second(tmp_path: Path) -> None:
    with rulec_view(tmp_path) as view:
        assert view.send(export_request(shop_traffic(6, seed=4)).SerializeToString()) == 200
        time.sleep(1.2)
        view.proc.kill()
        view.proc.wait(timeout=10)
    with rulec_view(tmp_path) as view:
        assert _requests(view) == {"backend": 6, "frontend": 6}


def test_second_view_on_the_same_data_fails_cleanly(tmp_path: Path) -> None:
    with rulec_view(tmp_path):
        proc = subprocess.run(
            [sys.executable, "-m", "compiler.cli", "view", "--port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0",
             "--data", str(tmp_path)],
            cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.startswith("rulec view: ") and "Traceback" not in proc.stderr


@pytest.mark.parametrize("bad", ["0", "soon", "-5m"])
def test_bad_retention_is_refused(tmp_path: Path, bad: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "compiler.cli", "view", "--retention", bad, "--data", str(tmp_path)],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2 and "--retention" in proc.stderr
