"""Run instrumented services on free loopback ports and talk HTTP to them."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def wait_http(url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            get(url, timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def wait_tcp(addr: str, timeout: float = 20) -> None:
    host, port = addr.rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def service(
    binary: Path, env: dict[str, str], health_url: str, args: Sequence[str] = (), log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run binary (with args) until the block ends, once health_url answers (an
    http:// URL, or tcp://host:port for a server that speaks no HTTP). Its
    output goes to a pipe, or to the file `log` for a program that writes more
    than a pipe holds."""
    with log.open("wb") if log else contextlib.nullcontext() as out:
        proc = subprocess.Popen([str(binary), *args], env={**os.environ, **env}, stdout=out or subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            if health_url.startswith("tcp://"):
                wait_tcp(health_url.removeprefix("tcp://"))
            else:
                wait_http(health_url)
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
