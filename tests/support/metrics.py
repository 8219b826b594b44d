"""Read cumulative OTLP metrics as received: the newest point of each series."""

from __future__ import annotations

from rulec.view.metrics import MetricPoint


def latest(points: list[MetricPoint], name: str, pid: int) -> dict[tuple, MetricPoint]:
    """The newest cumulative point of each series of the named metric sent by
    one process (the receiver is shared by every test of the run)."""
    series: dict[tuple, MetricPoint] = {}
    for p in points:
        if p.name != name or p.resource.get("process.pid") != pid:
            continue
        key = (p.resource.get("service.instance.id"), tuple(sorted(p.attributes.items())))
        if key not in series or p.time_unix_nano >= series[key].time_unix_nano:
            series[key] = p
    return series


def counted(points: list[MetricPoint], name: str, pid: int, **attrs: object) -> int:
    series = latest(points, name, pid).values()
    return sum(p.count or 0 for p in series if all(p.attributes.get(k) == v for k, v in attrs.items()))
