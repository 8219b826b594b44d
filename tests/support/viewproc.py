"""Run `rulec view` as a subprocess on free ports and talk to its API and receiver."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from support.gomod import ROOT as REPO_ROOT
from support.gomod import RULEC


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

    def call(self, method: str, path: str, body: object) -> tuple[int, Any]:
        """A JSON request to the API (PUT, POST, DELETE); (status, decoded answer)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        req = urllib.request.Request(self.console + path.lstrip("/"), data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as exc:
            return exc.code, json.load(exc)

    def send(self, body: bytes, path: str = "/v1/traces") -> int:
        req = urllib.request.Request(self.otlp_http + path, data=body, headers={"Content-Type": "application/x-protobuf"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status


@contextmanager
def rulec_view(data: Path, *extra: str, stderr: IO[str] | None = None) -> Iterator[View]:
    """`rulec view` on free ports; its stderr goes to `stderr` if given, else the test's."""
    args = ["view", "--port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0", "--data", str(data), *extra]
    proc = subprocess.Popen(
        [*RULEC, *args],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=stderr,
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
