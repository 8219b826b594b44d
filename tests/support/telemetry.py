"""The environment that points an instrumented test program at the shared
OTLP receiver, and the filter that picks out what that one run sent."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from rulec.view.metrics import MetricPoint
from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span


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
        """This run's spans, once one of each name has arrived (a name given
        n times: n of it). Name the request's server span too: it ends after
        the operations under it, so it may come in a later export."""
        wanted = Counter(names)

        def arrived(got: list[Span]) -> bool:
            have = Counter(s.name for s in self.spans(got))
            return all(have[name] >= n for name, n in wanted.items())

        return self.spans(self.receiver.wait_for(arrived, timeout))

    def wait_metric(self, name: str, where: Mapping[str, object] | None = None, timeout: float = 30) -> list[MetricPoint]:
        """Every point received, once this run has sent a point of `name`
        (with the attributes `where` gives) collected after this call: one
        collected earlier may miss what the program did just before. Call it
        while the program runs."""
        since = time.time_ns()

        def arrived(got: list[MetricPoint]) -> bool:
            return any(p.name == name and p.resource.get("test.run") == self.id and p.time_unix_nano >= since
                       and all(p.attributes.get(k) == v for k, v in (where or {}).items()) for p in got)  # fmt: skip

        return self.receiver.wait_for_metrics(arrived, timeout)
