"""Thread-safe storage of received spans, shared by the HTTP and gRPC servers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from view.spans import Span


class SpanStore:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._spans: list[Span] = []
        self._malformed = 0
        # Bumped on every change so waiters never miss an update between checks.
        self._version = 0

    def add(self, spans: Iterable[Span]) -> None:
        with self._cond:
            self._spans.extend(spans)
            self._version += 1
            self._cond.notify_all()

    def snapshot(self) -> list[Span]:
        with self._cond:
            return list(self._spans)

    def clear(self) -> None:
        with self._cond:
            self._spans.clear()
            self._version += 1
            self._cond.notify_all()

    def record_malformed(self) -> None:
        with self._cond:
            self._malformed += 1

    @property
    def malformed_requests(self) -> int:
        with self._cond:
            return self._malformed

    def wait_for(
        self, predicate: Callable[[list[Span]], bool], timeout: float
    ) -> tuple[bool, list[Span]]:
        """Return (satisfied, last snapshot); the predicate runs outside the lock."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                seen = self._version
                snapshot = list(self._spans)
            if predicate(snapshot):
                return True, snapshot
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False, snapshot
            with self._cond:
                if self._version == seen:
                    self._cond.wait(remaining)
