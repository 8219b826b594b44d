"""A first build's word on the terminal: why it takes minutes, and how far it is.

The first instrumented build for a Go installation, Go build cache and
version of rulec compiles the OpenTelemetry SDK and the instrumented
standard library into Go's build cache: minutes, once; later builds reuse
them. Without a word it looks hung. "First" is told by a marker in rulec's
cache, keyed by those three and written after a build succeeds: one stat.
A cache emptied since (`go clean -cache`) goes unnoticed: that build is as
silent as every build was before.

Progress is counted where the go command runs each compile: the toolexec
shim (shim/main.go) adds a byte to the file PROGRESS_ENV names, and a
thread here shows its size. Without that variable, as on every other build,
the shim does nothing more.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

from rulec.compiler.gocommand import plan_cache
from rulec.compiler.paths import PROGRESS_ENV

# What a filled cache is filled for: the Go installation, its target, the cache itself.
MARKER_KEYS = ("GOROOT", "GOVERSION", "GOOS", "GOARCH", "GOCACHE")
_INTERVAL = 0.25  # seconds between looks at the count
_CLEAR = "\r\x1b[K"  # back to the start of the line, erased


def marker(goenv: dict[str, str]) -> Path:
    """The file whose presence says a build has filled Go's cache with the runtime."""
    key = "\0".join([plan_cache.code_digest(), *(goenv[k] for k in MARKER_KEYS)])
    return plan_cache.cache_root() / "warm" / hashlib.sha256(key.encode()).hexdigest()[:24]


def mark_warm(goenv: dict[str, str]) -> None:
    path = marker(goenv)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


class FirstBuild:
    """While the go command runs: the count of packages compiled of at most
    `planned`, on one line of `out` rewritten in place, then a closing line."""

    def __init__(self, planned: int, out: TextIO):
        self.planned, self.out = planned, out
        fd, name = tempfile.mkstemp(prefix="rulec-progress-")
        os.close(fd)
        self.counter = Path(name)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.start = time.monotonic()

    def env(self) -> dict[str, str]:
        """The go command's environment additions: where the shim counts."""
        return {PROGRESS_ENV: str(self.counter)}

    def __enter__(self) -> FirstBuild:
        self._write(
            "rulec: first build for this Go and rulec: compiling the telemetry runtime and the instrumented "
            "standard library into Go's build cache; this takes a few minutes, once\n"
        )
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stopped.set()
        self.thread.join()
        done = self._count()
        self.counter.unlink(missing_ok=True)
        if done:
            self._write(f"{_CLEAR}rulec: first build: {done} packages compiled in {time.monotonic() - self.start:.0f} s\n")

    def _count(self) -> int:
        try:
            return self.counter.stat().st_size
        except OSError:
            return 0

    def _watch(self) -> None:
        shown = 0
        while not self.stopped.wait(_INTERVAL):
            n = self._count()
            if n != shown:
                of = f" of at most {self.planned}" if n <= self.planned else ""
                self._write(f"{_CLEAR}rulec: {n} packages compiled{of}")
                shown = n

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
