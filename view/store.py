"""Thread-safe storage of received records, shared by the HTTP and gRPC servers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rulec.view.metrics import MetricPoint
from rulec.view.spans import Span

T = TypeVar("T")


class StoreBusy(Exception):
    """The store's sink is behind: the receiver answers "retry later" (HTTP 503,
    gRPC UNAVAILABLE), which OTLP exporters honour, instead of queueing without bound."""


class Store(Generic[T]):
    """Append-only list of one signal's records that callers can wait on.

    With a sink, each received batch goes to the sink instead and the list
    stays empty: a long-running `rulec view` must not grow in memory.
    """

    def __init__(self, sink: Callable[[list[T]], None] | None = None) -> None:
        self._cond = threading.Condition()
        self._sink = sink
        self._items: list[T] = []
        self._malformed = 0
        # Bumped on every change so waiters never miss an update between checks.
        self._version = 0

    def add(self, items: Iterable[T]) -> None:
        batch = list(items)
        if self._sink is not None:
            self._sink(batch)
            batch = []
        with self._cond:
            self._items.extend(batch)
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

    @classmethod
    def forwarding(
        cls,
        spans: Callable[[list[Span]], None],
        metrics: Callable[[list[MetricPoint]], None],
    ) -> Stores:
        """Stores that hand every batch to these sinks and keep nothing in memory."""
        return cls(Store(spans), Store(metrics))

    def clear(self) -> None:
        self.spans.clear()
        self.metrics.clear()

    @property
    def malformed_requests(self) -> int:
        return self.spans.malformed_requests + self.metrics.malformed_requests
