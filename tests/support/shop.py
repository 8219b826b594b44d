"""Run the example shop's services, built by the session's `shop` fixture."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.procs import free_port, service


@contextmanager
def shop_running(
    frontend: Path, backend: Path, otel: dict[str, str]
) -> Iterator[tuple[str, subprocess.Popen[bytes], subprocess.Popen[bytes]]]:
    fport, bport = free_port(), free_port()
    env = {
        "FRONTEND_ADDR": f"127.0.0.1:{fport}",
        "BACKEND_ADDR": f"127.0.0.1:{bport}",
        "BACKEND_URL": f"http://127.0.0.1:{bport}",
        "OTEL_BSP_SCHEDULE_DELAY": "50",
        **otel,
    }
    with service(backend, {**env, "OTEL_SERVICE_NAME": "backend"}, f"http://127.0.0.1:{bport}/healthz") as b:
        with service(frontend, {**env, "OTEL_SERVICE_NAME": "frontend"}, f"http://127.0.0.1:{fport}/healthz") as f:
            yield f"http://127.0.0.1:{fport}", f, b


@contextmanager
def backend_running(backend: Path, otel: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The backend alone, named "backend"; yields its base URL and process."""
    port = free_port()
    env = {"BACKEND_ADDR": f"127.0.0.1:{port}", "OTEL_BSP_SCHEDULE_DELAY": "50", "OTEL_SERVICE_NAME": "backend", **otel}
    with service(backend, env, f"http://127.0.0.1:{port}/healthz") as proc:
        yield f"http://127.0.0.1:{port}", proc
