"""The README's first command: build the example shop with rulec, run it, send
a few requests and print the traces that came out.

Nothing in examples/shop knows about telemetry; rulec adds it at build time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from view.receiver import OtlpReceiver
from view.tree import format_trace_trees

SHOP = Path(__file__).resolve().parent / "shop"


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


def wait_up(url: str) -> None:
    for _ in range(200):
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"demo: {url} did not come up")


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="rulec-demo-"))
    for name in ("frontend", "backend"):
        print(f"$ rulec build -o {out / name} ./{name}", flush=True)
        subprocess.run(["rulec", "build", "-o", str(out / name), f"./{name}"], cwd=SHOP, check=True)

    with OtlpReceiver() as receiver:
        fport, bport = free_port(), free_port()
        env = {
            **os.environ,
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
            "FRONTEND_ADDR": f"127.0.0.1:{fport}",
            "BACKEND_ADDR": f"127.0.0.1:{bport}",
            "BACKEND_URL": f"http://127.0.0.1:{bport}",
        }
        procs = [
            subprocess.Popen([str(out / "backend")], env={**env, "OTEL_SERVICE_NAME": "backend"}),
            subprocess.Popen([str(out / "frontend")], env={**env, "OTEL_SERVICE_NAME": "frontend"}),
        ]
        wait_up(f"http://127.0.0.1:{bport}/healthz")
        wait_up(f"http://127.0.0.1:{fport}/healthz")
        for path in ("/checkout/42", "/checkout/fail", "/checkout/missing"):
            print(f"GET {path} -> {get(f'http://127.0.0.1:{fport}{path}')}", flush=True)
        for p in procs:  # SIGTERM: the runtime flushes its spans on the way out
            p.send_signal(signal.SIGTERM)
            p.wait()
        receiver.wait_for(lambda spans: sum(s.kind == "SERVER" and "checkout" in s.name for s in spans) >= 3, timeout=20)
        spans = [s for s in receiver.spans() if "healthz" not in s.name]
        print("\nTraces received over OTLP:\n")
        print(format_trace_trees(spans))


if __name__ == "__main__":
    main()
