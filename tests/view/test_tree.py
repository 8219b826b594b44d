"""format_trace_trees: nesting, ordering, orphans, status and key attributes."""

from __future__ import annotations

from rulec.view.spans import Span
from rulec.view.tree import format_trace_trees

T1 = "11111111111111111111111111111111"
T2 = "22222222222222222222222222222222"
MS = 1_000_000


def span(span_id: str, parent: str = "", start_ms: int = 0, trace: str = T1, **fields: object) -> Span:
    defaults: dict[str, object] = {
        "name": f"op-{span_id}",
        "kind": "INTERNAL",
        "service_name": "svc",
        "end_ns": (start_ms + 1) * MS,
    }
    return Span(
        trace_id=trace,
        span_id=span_id.rjust(16, "0"),
        parent_span_id=parent.rjust(16, "0") if parent else "",
        start_ns=start_ms * MS,
        **{**defaults, **fields},  # type: ignore[arg-type]
    )


def test_no_spans() -> None:
    assert format_trace_trees([]) == "no spans received"


def test_http_call_chain_is_indented_with_key_attributes() -> None:
    spans = [
        span(
            "3",
            parent="2",
            start_ms=2,
            service_name="backend",
            kind="SERVER",
            name="GET /orders/{id}",
            end_ns=9 * MS,
            status_code="ERROR",
            status_message="db down",
            attributes={
                "http.route": "/orders/{id}",
                "http.response.status_code": 500,
                "other": 1,
            },
        ),
        span(
            "1",
            start_ms=0,
            service_name="frontend",
            kind="SERVER",
            name="GET /checkout/{id}",
            end_ns=12_500_000,
            status_code="OK",
            attributes={"http.route": "/checkout/{id}"},
        ),
        span(
            "2",
            parent="1",
            start_ms=1,
            service_name="frontend",
            kind="CLIENT",
            name="GET",
            end_ns=10 * MS,
            attributes={"url.full": "http://127.0.0.1:8081/orders/7"},
            events=(("exception", {"exception.message": "boom", "ignored": "x"}),),
        ),
    ]

    assert format_trace_trees(spans) == "\n".join(
        [
            f"trace {T1}  (3 spans)",
            "  frontend  SERVER  GET /checkout/{id}  [OK]  12.50 ms  http.route=/checkout/{id}",
            "    frontend  CLIENT  GET  [UNSET]  9.00 ms  url.full=http://127.0.0.1:8081/orders/7",
            "      event  exception  exception.message=boom",
            ("      backend  SERVER  GET /orders/{id}  [ERROR: db down]  7.00 ms  http.route=/orders/{id} http.response.status_code=500"),
        ]
    )


def test_siblings_are_ordered_by_start_time() -> None:
    spans = [
        span("c", parent="a", start_ms=5),
        span("a"),
        span("b", parent="a", start_ms=3),
    ]

    lines = format_trace_trees(spans).splitlines()

    assert [line.split()[2] for line in lines[1:]] == ["op-a", "op-b", "op-c"]
    assert lines[2].startswith("    svc") and lines[3].startswith("    svc")


def test_orphan_span_is_a_root_marked_parent_not_received() -> None:
    spans = [
        span("a"),
        span("b", parent="f", start_ms=1),
        span("c", parent="b", start_ms=2),
    ]

    lines = format_trace_trees(spans).splitlines()

    assert lines[1] == "  svc  INTERNAL  op-a  [UNSET]  1.00 ms"
    assert lines[2] == "  svc  INTERNAL  op-b  [UNSET]  1.00 ms  (parent not received)"
    assert lines[3] == "    svc  INTERNAL  op-c  [UNSET]  1.00 ms"


def test_traces_are_separated_and_ordered_by_first_start() -> None:
    spans = [span("a", trace=T1, start_ms=10), span("b", trace=T2, start_ms=5)]

    blocks = format_trace_trees(spans).split("\n\n")

    assert [block.splitlines()[0] for block in blocks] == [
        f"trace {T2}  (1 spans)",
        f"trace {T1}  (1 spans)",
    ]


def test_parent_cycle_is_still_shown() -> None:
    spans = [span("a", parent="b"), span("b", parent="a", start_ms=1)]

    lines = format_trace_trees(spans).splitlines()

    assert len(lines) == 3
    assert lines[1].endswith("(parent cycle)")
    assert lines[2].startswith("    svc  INTERNAL  op-b")


def test_array_and_bool_values_are_readable() -> None:
    spans = [
        span(
            "a",
            service_name="",
            attributes={"http.request.method": "GET", "error.type": ("x", True)},
        )
    ]

    assert format_trace_trees(spans).splitlines()[1] == (
        "  -  INTERNAL  op-a  [UNSET]  1.00 ms  http.request.method=GET error.type=[x,true]"
    )
