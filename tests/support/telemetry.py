"""The environment that points an instrumented test program at the shared
OTLP receiver, and the filter that picks out what that one run sent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from view.metrics import MetricPoint
from view.receiver import OtlpReceiver
from view.spans import Span


@dataclass
class Run:
    """One run of a program: its environment and what it exported."""

    receiver: OtlpReceiver
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def env(self, **extra: str) -> dict[str, str]:
        # Fast exports, and a resource attribute every provider in the
        # program (rulec's, an application's own) reads from the environment.
        return {"OTEL_EXPORTER_OTLP_ENDPOINT": self.receiver.http_endpoint, "OTEL_BSP_SCHEDULE_DELAY": "50",
                "OTEL_METRIC_EXPORT_INTERVAL": "200", "OTEL_RESOURCE_ATTRIBUTES": f"test.run={self.id}", **extra}  # fmt: skip

    def spans(self, spans: list[Span]) -> list[Span]:
        return [s for s in spans if s.resource.get("test.run") == self.id]

    def wait_spans(self, *names: str, timeout: float = 30) -> list[Span]:
        """This run's spans, once one of each name has arrived. Name the
        request's server span too: it ends after the operations under it, so
        it may come in a later export."""
        return self.spans(self.receiver.wait_for(lambda got: set(names) <= {s.name for s in self.spans(got)}, timeout))

    def wait_metric(self, name: str, timeout: float = 30) -> list[MetricPoint]:
        """Every point received, once this run has sent one of `name`."""
        return self.receiver.wait_for_metrics(
            lambda got: any(p.name == name and p.resource.get("test.run") == self.id for p in got), timeout
        )
