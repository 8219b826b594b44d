"""Thread-safe storage of received records, shared by the HTTP and gRPC servers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from view.metrics import MetricPoint
from view.spans import Span

T = TypeVar("T")


class Store(Generic[T]):
    """Append-only list of one signal's records that callers can wait on."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._items: list[T] = []
        self._malformed = 0
        # Bumped on every change so waiters never miss an update between checks.
        self._version = 0

    def add(self, items: Iterable[T]) -> None:
        with self._cond:
            self._items.extend(items)
            self._version += 1
            self._cond.notify_all()

    def snapshot(self) -> list[T]:
        with self._cond:
            return list(self._items)

    def clear(self) -> None:
        with self._cond:
            self._items.clear()
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
        self, predicate: Callable[[list[T]], bool], timeout: float
    ) -> tuple[bool, list[T]]:
        """Return (satisfied, last snapshot); the predicate runs outside the lock."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                seen = self._version
                snapshot = list(self._items)
            if predicate(snapshot):
                return True, snapshot
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False, snapshot
            with self._cond:
                if self._version == seen:
                    self._cond.wait(remaining)


@dataclass(frozen=True)
class Stores:
    """One store per stored signal; both servers write into the same pair."""

    spans: Store[Span] = field(default_factory=Store)
    metrics: Store[MetricPoint] = field(default_factory=Store)

    def clear(self) -> None:
        self.spans.clear()
        self.metrics.clear()

    @property
    def malformed_requests(self) -> int:
        return self.spans.malformed_requests + self.metrics.malformed_requests
