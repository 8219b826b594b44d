"""Render received spans as one indented tree per trace, for humans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rulec.view.spans import Span

# Shown inline, in this order, when a span carries them.
KEY_ATTRIBUTES = (
    "http.request.method",
    "http.route",
    "url.path",
    "url.full",
    "http.response.status_code",
    "rpc.method",
    "db.system",
    "error.type",
)
_EVENT_KEY_ATTRIBUTES = ("exception.type", "exception.message")
_INDENT = "  "


def format_trace_trees(spans: Iterable[Span]) -> str:
    """All traces, earliest first, each as a header line and its span tree."""
    by_trace: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        by_trace[span.trace_id].append(span)
    if not by_trace:
        return "no spans received"
    traces = sorted(by_trace.items(), key=lambda item: min(s.start_ns for s in item[1]))
    return "\n\n".join(_format_trace(trace_id, members) for trace_id, members in traces)


def _format_trace(trace_id: str, spans: list[Span]) -> str:
    ordered = sorted(spans, key=lambda s: (s.start_ns, s.span_id))
    writer = _TreeWriter(ordered)
    writer.lines.append(f"trace {trace_id}  ({len(spans)} spans)")
    ids = {s.span_id for s in ordered}
    for span in ordered:
        if not span.parent_span_id:
            writer.write(span, "", 1)
        elif span.parent_span_id not in ids:
            writer.write(span, "(parent not received)", 1)
    # Spans whose parents form a cycle are reachable from no root; still show them.
    for span in ordered:
        if id(span) not in writer.done:
            writer.write(span, "(parent cycle)", 1)
    return "\n".join(writer.lines)


class _TreeWriter:
    def __init__(self, ordered: list[Span]) -> None:
        self.lines: list[str] = []
        self.done: set[int] = set()
        self._children: dict[str, list[Span]] = defaultdict(list)
        for span in ordered:
            if span.parent_span_id:
                self._children[span.parent_span_id].append(span)

    def write(self, span: Span, note: str, depth: int) -> None:
        """Append the span, its events, then its children (already start-ordered)."""
        self.done.add(id(span))
        self.lines.append(_INDENT * depth + _span_line(span, note))
        for name, attrs in span.events:
            event = _join(["event", name, _attrs(attrs, _EVENT_KEY_ATTRIBUTES)])
            self.lines.append(_INDENT * (depth + 1) + event)
        for child in self._children.get(span.span_id, ()):
            if id(child) not in self.done:
                self.write(child, "", depth + 1)


def _span_line(span: Span, note: str) -> str:
    status = span.status_code
    if span.status_code == "ERROR" and span.status_message:
        status = f"ERROR: {span.status_message}"
    return _join(
        [
            span.service_name or "-",
            span.kind,
            span.name,
            f"[{status}]",
            f"{span.duration_ns / 1e6:.2f} ms",
            _attrs(span.attributes, KEY_ATTRIBUTES),
            note,
        ]
    )


def _attrs(attributes: dict[str, Any], keys: tuple[str, ...]) -> str:
    return " ".join(f"{k}={_value(attributes[k])}" for k in keys if k in attributes)


def _value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ",".join(_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _join(parts: list[str]) -> str:
    return "  ".join(part for part in parts if part)
