"""`rulec view` as a process: addresses printed at start, the JSON API, a clean stop
on SIGTERM, and data kept across a restart and across SIGKILL."""

from __future__ import annotations

import os
import re
import signal
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.gomod import ROOT as REPO_ROOT
from support.gomod import RULEC
from support.viewproc import View, rulec_view
from traffic import export_request, shop_traffic


def _requests(view: View) -> dict[str, int]:
    status, body = view.api("/api/overview?last=1h")
    assert status == 200, body
    return {s["service"]: s["requests"] for s in body["services"]}


def _run_view(*args: str) -> subprocess.CompletedProcess[str]:
    """`rulec view ARGS` to its end (it ends at once when it cannot start)."""
    return subprocess.run(
        [*RULEC, "view", *args],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True, timeout=30,
    )  # fmt: skip


def _stop(view: View) -> str:
    view.proc.send_signal(signal.SIGTERM)
    out, _ = view.proc.communicate(timeout=20)
    assert view.proc.returncode == 0
    return out


def test_api_answers_and_sigterm_flushes(tmp_path: Path) -> None:
    traffic = shop_traffic(10)
    with rulec_view(tmp_path) as view:
        with urllib.request.urlopen(view.console, timeout=10) as resp:
            assert b'src="/static/app.js"' in resp.read()  # the console
        assert view.send(export_request(traffic).SerializeToString()) == 200
        assert view.api("/api/endpoints")[0] == 400  # service is required
        assert view.api("/api/nope")[0] == 404
        assert view.api("/api/traces?status=maybe")[0] == 400
        assert view.api("/api/traces?limit=-1")[0] == 400
        assert view.api("/api/overview?last=soon")[0] == 400
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
        proc = _run_view("--port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--data", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.startswith("rulec view: ") and "Traceback" not in proc.stderr


@pytest.mark.parametrize("bad", ["0", "soon", "-5m"])
def test_bad_retention_is_refused(tmp_path: Path, bad: str) -> None:
    proc = _run_view("--retention", bad, "--data", str(tmp_path))
    assert proc.returncode == 2 and "--retention" in proc.stderr


@pytest.mark.parametrize(
    ("option", "purpose"),
    [("--port", "console"), ("--otlp-http-port", "OTLP/HTTP receiver"), ("--otlp-grpc-port", "OTLP/gRPC receiver")],
)
def test_a_taken_port_is_named_with_its_option(tmp_path: Path, option: str, purpose: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ports = {"--port": "0", "--otlp-http-port": "0", "--otlp-grpc-port": "0", option: str(port)}
        proc = _run_view(*(word for pair in ports.items() for word in pair), "--data", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"rulec view: cannot listen on 127.0.0.1:{port} for the {purpose}: Address already in use; "
        f"choose another port with {option}\n"
    )


def test_a_data_folder_in_use_names_the_process_holding_it(tmp_path: Path) -> None:
    with rulec_view(tmp_path) as first:
        proc = _run_view("--port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--data", str(tmp_path))
        holder = first.proc.pid
    assert proc.returncode == 1
    assert re.fullmatch(
        rf"rulec view: the data folder {re.escape(str(tmp_path))} is in use by process {holder} \(\S*python\S*\); "
        r"stop it or choose another folder with --data\n",
        proc.stderr,
    ), proc.stderr


def _drop_mid_answer(url: str, path: str) -> None:
    """Ask, then hang up with a reset (SO_LINGER 0), as a closed browser tab does."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_clients_that_hang_up_leave_no_traceback(tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with log.open("w") as stderr, rulec_view(tmp_path / "data", stderr=stderr) as view:
        for _ in range(5):
            _drop_mid_answer(view.console, "/static/app.js")
            _drop_mid_answer(view.otlp_http, "/v1/traces")
        assert view.api("/api/overview")[0] == 200  # still serving
        _stop(view)
    text = log.read_text()
    assert not re.search(r"Traceback|BrokenPipeError|ConnectionResetError", text), text
