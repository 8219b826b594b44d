"""The README's first command: build the example shop with rulec, run it against
`rulec view`, print its first traces, then keep a little traffic flowing and
leave the console open on them until Ctrl-C.

Nothing in examples/shop knows about telemetry; rulec adds it at build time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path
from typing import Any

from rulec.view.signals import stop_on_signals
from rulec.view.spans import Span
from rulec.view.tree import format_trace_trees

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop"
RULEC = [sys.executable, "-m", "rulec"]  # this checkout's rulec, as `rulec` is
FIRST_REQUESTS = ("/checkout/42", "/checkout/fail", "/checkout/missing")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def api(console: str, path: str) -> Any:
    with urllib.request.urlopen(console + path, timeout=10) as resp:
        return json.load(resp)


def wait_up(url: str) -> None:
    for _ in range(200):
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"demo: {url} did not come up")


def start_view(args: argparse.Namespace, data: Path) -> tuple[subprocess.Popen[str], str, str]:
    """`rulec view` on the chosen ports; its console URL and OTLP/HTTP endpoint."""
    cmd = ["view", "--port", str(args.console_port), "--otlp-http-port", str(args.otlp_http_port),
           "--otlp-grpc-port", str(args.otlp_grpc_port), "--data", str(data)]
    print(f"$ rulec {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen([*RULEC, *cmd], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    console = otlp = ""
    for line in proc.stdout:
        print(line, end="", flush=True)
        if m := re.search(r"console\s+(\S+)", line):
            console = m.group(1)
        if m := re.search(r"OTLP/HTTP (\S+)", line):
            otlp = m.group(1)
        if "RULEC_CONFIG_URL=" in line:  # the last line it prints at start
            break
    if not (console and otlp):
        sys.exit(f"demo: rulec view did not start (status {proc.wait()})")
    return proc, console, otlp


def start_shop(binaries: Path, console: str, otlp: str) -> tuple[list[subprocess.Popen[bytes]], str]:
    """Backend and frontend, exporting to the view and polling its live configuration;
    their logs (each line of a traced request carries its trace_id) go to files."""
    fport, bport = free_port(), free_port()
    env = {
        **os.environ,
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp,
        "OTEL_METRIC_EXPORT_INTERVAL": "5000",  # the instances page fills within seconds
        "FRONTEND_ADDR": f"127.0.0.1:{fport}",
        "BACKEND_ADDR": f"127.0.0.1:{bport}",
        "BACKEND_URL": f"http://127.0.0.1:{bport}",
    }
    procs = []
    for name, port in (("backend", bport), ("frontend", fport)):
        service_env = {**env, "OTEL_SERVICE_NAME": name, "RULEC_CONFIG_URL": f"{console}config/{name}"}
        with open(binaries / f"{name}.log", "wb") as log:
            procs.append(subprocess.Popen([str(binaries / name)], env=service_env, stdout=log, stderr=log))
        wait_up(f"http://127.0.0.1:{port}/healthz")
    return procs, f"http://127.0.0.1:{fport}"


def print_first_traces(console: str) -> None:
    """The first checkouts' trace trees, read back from the view's store."""
    deadline = time.monotonic() + 30
    while len(found := _checkouts(console)) < len(FIRST_REQUESTS) and time.monotonic() < deadline:
        time.sleep(0.2)
    spans: list[Span] = []
    for request in found:
        spans += [_span(row) for row in api(console, f"api/trace?trace_id={request['trace_id']}")]
    print("\nTraces in rulec view's store:\n")
    print(format_trace_trees(spans), flush=True)


def _checkouts(console: str) -> list[dict[str, Any]]:
    return [r for r in api(console, "api/traces?service=frontend&last=15m") if "checkout" in r["name"]]


def _span(row: dict[str, Any]) -> Span:
    return Span(
        trace_id=row["trace_id"], span_id=row["span_id"], name=row["name"], parent_span_id=row["parent_span_id"] or "",
        kind=row["kind"], start_ns=row["start_ns"], end_ns=row["start_ns"] + row["duration_ns"],
        attributes=row["attributes"], status_code=row["status"], status_message=row["status_message"] or "",
        service_name=row["service"], resource=row["resource"],
        events=tuple((e["name"], e["attributes"]) for e in row["events"]),
    )


def traffic(frontend: str, stop: threading.Event) -> None:
    """A few checkouts a second, one in ten failing in the backend, a few unknown ids."""
    rng = random.Random(1)
    while not stop.wait(rng.uniform(0.1, 0.5)):
        roll = rng.random()
        order = "fail" if roll < 0.1 else "missing" if roll < 0.15 else str(rng.randint(1, 500))
        try:
            get(f"{frontend}/checkout/{order}")
        except OSError:
            return  # the shop is stopping


def main() -> None:
    args = _parser().parse_args()
    # First: a SIGTERM during the builds must also reach the cleanup below.
    stop = stop_on_signals()
    work = Path(tempfile.mkdtemp(prefix="rulec-demo-"))
    try:
        run(args, work, stop)
    finally:
        # The shop's binaries (some 45 MB), its logs and, without --data, the view's
        # store: run() has stopped the shop and the view that used them.
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path, stop: threading.Event) -> None:
    """Build, start, show; keep the console open until `stop` (or --seconds)."""
    for name in ("frontend", "backend"):
        print(f"$ rulec build -o {work / name} ./{name}", flush=True)
        build = subprocess.run([*RULEC, "build", "-o", str(work / name), f"./{name}"], cwd=SHOP,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        if stop.is_set():  # Ctrl-C reached the build too
            return
        if build.returncode:
            sys.exit(f"demo: rulec build ./{name} failed (status {build.returncode})")
    view, console, otlp = start_view(args, args.data or work / "view-data")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs, frontend = start_shop(work, console, otlp)
        for path in FIRST_REQUESTS:
            print(f"GET {path} -> {get(frontend + path)}", flush=True)
        print_first_traces(console)
        sending = threading.Thread(target=traffic, args=(frontend, stop), daemon=True)
        sending.start()
        print(f"\nThe console: {console}  (the shop's traffic keeps arriving; tick auto-refresh to watch it)")
        print(f"The shop's logs: {work}/frontend.log, backend.log (removed at the end). Ctrl-C stops the shop and the view.",
              flush=True)
        if args.open and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform == "darwin"):
            webbrowser.open(console)
        stop.wait(args.seconds)
        stop.set()
        sending.join()
    finally:
        for p in procs:  # SIGTERM: the runtime flushes its spans on the way out
            p.send_signal(signal.SIGTERM)
            p.wait()
        view.send_signal(signal.SIGTERM)
        view.wait()
        # It prints little: its goodbye is still in the pipe.
        print(view.stdout.read() if view.stdout else "", end="", flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="examples/demo.sh", description=__doc__)
    parser.add_argument("--console-port", type=int, default=4320)
    parser.add_argument("--otlp-http-port", type=int, default=4318)
    parser.add_argument("--otlp-grpc-port", type=int, default=4317)
    parser.add_argument("--data", type=Path, help="the view's store  [default: a new temporary folder]")
    parser.add_argument("--seconds", type=float, help="stop after this long  [default: at Ctrl-C]")
    parser.add_argument("--no-open", dest="open", action="store_false", help="do not open a browser on the console")
    return parser


if __name__ == "__main__":
    main()
