"""The console's queries: one SQL statement each against view/db.py's tables,
answered as JSON-ready dicts and lists.

Every function takes a reader connection (`ViewDb.reader()`) and a time window
[since_ns, until_ns) on span start. Durations are in nanoseconds; latency
percentiles use `quantile_cont` (linear interpolation between closest ranks).
"Requests" are a service's SERVER and CONSUMER spans, its entry points. Whether
a span is an error is decided by one SQL macro, `span_is_error` (SCHEMA), which
every figure counting errors uses.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

MINUTE_NS = 60_000_000_000
# How far a service's clock may lag its caller's: a server span answering a call
# made in the window starts at most this long before the window.
CLOCK_SKEW_NS = MINUTE_NS
_ENTRY = "kind IN ('SERVER', 'CONSUMER')"

# OpenTelemetry's HTTP conventions: a 4xx is the client's mistake, so it fails the
# CLIENT span but not the SERVER span that answered it; a 5xx fails both. Without
# an HTTP status, the span's own status decides. Every page counts errors with this
# one macro, not with the SDK's status, which SDKs set differently for a 4xx.
SCHEMA = """
CREATE OR REPLACE MACRO span_is_error(kind, status, http_status) AS coalesce(CASE
    WHEN http_status IS NULL THEN status = 'ERROR'
    WHEN kind = 'SERVER' THEN http_status >= 500
    WHEN kind = 'CLIENT' THEN http_status >= 400 OR status = 'ERROR'
    ELSE status = 'ERROR' END, false);
"""
# The macro over a relation with the spans table's columns.
IS_ERROR = "span_is_error(kind, status, http_status)"
ERRORS = f"count(*) FILTER (WHERE {IS_ERROR})"
# A client's 404 may carry neither error.type nor a status message: its status names it.
_ERROR_TYPE = "coalesce(error_type, status_message, CAST(http_status AS VARCHAR), 'unknown')"

# Who an instance is, for people: its service.instance.id is a random UUID per
# process run (runtime-go/core/resource.go), its host and pid are not. Taken from
# one row's resource after grouping, so JSON is parsed once per instance, not per
# span. Rows without an instance id may be several processes: no host, no pid.
_INSTANCE_HOST = """CASE WHEN instance IS NOT NULL THEN any_value(resource) ->> '$."host.name"' END AS host_name,
    CASE WHEN instance IS NOT NULL THEN TRY_CAST(any_value(resource) ->> '$."process.pid"' AS BIGINT) END AS process_pid"""


def _red(count_as: str = "requests") -> str:
    """Rate, errors, duration: the columns every grouped answer shares."""
    return f"""count(*) AS {count_as},
    {ERRORS} AS errors,
    avg(duration_ns) AS avg_ns,
    quantile_cont(duration_ns, 0.99) AS p99_ns"""


def overview(con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int) -> dict[str, Any]:
    """Per service: RED of its requests and its instance count, plus a per-minute series."""
    rows = _dicts(
        con,
        f"""
        SELECT service, start_ns // {MINUTE_NS} * {MINUTE_NS} AS minute_ns, grouping(minute_ns) = 1 AS total,
            {_red()}, count(DISTINCT instance) AS instances
        FROM spans
        WHERE {_ENTRY} AND start_ns >= $since AND start_ns < $until
        GROUP BY GROUPING SETS ((service), (service, minute_ns))
        ORDER BY service, minute_ns NULLS FIRST
        """,
        {"since": since_ns, "until": until_ns},
    )
    services = [{k: v for k, v in r.items() if k not in ("minute_ns", "total")} for r in rows if r["total"]]
    series = [{k: v for k, v in r.items() if k not in ("total", "instances")} for r in rows if not r["total"]]
    return {"services": services, "series": series}


def endpoints(con: duckdb.DuckDBPyConnection, service: str, since_ns: int, until_ns: int) -> list[dict[str, Any]]:
    """RED per route or RPC method of one service's requests, busiest first."""
    return _dicts(
        con,
        f"""
        SELECT endpoint, {_red()}
        FROM spans
        WHERE service = $service AND {_ENTRY} AND start_ns >= $since AND start_ns < $until
        GROUP BY endpoint
        ORDER BY requests DESC, endpoint
        """,
        {"service": service, "since": since_ns, "until": until_ns},
    )


# A service's outgoing calls, each resolved to what answered it: another service
# when a SERVER/CONSUMER child span in that service exists, else the client span's
# peer (database, cache, uninstrumented host). Children are looked for from the
# window's start (less CLOCK_SKEW_NS) on, so a short window reads only its own
# part of the table on both sides. The client span's kind, status and http_status
# are kept under their own names, for IS_ERROR.
_CALLS = """
    SELECT c.service AS source, c.kind, c.status, c.http_status, c.duration_ns, c.db_system, c.rpc_service, c.server_address,
        coalesce(s.service, c.peer) AS target,
        CASE WHEN s.service IS NOT NULL THEN 'service'
             WHEN c.db_system IS NOT NULL THEN 'database'
             ELSE 'peer' END AS target_kind
    FROM spans c
    LEFT JOIN spans s ON s.trace_id = c.trace_id AND s.parent_span_id = c.span_id
        AND s.kind IN ('SERVER', 'CONSUMER') AND s.service <> c.service AND s.start_ns >= $since - $skew
    WHERE c.kind IN ('CLIENT', 'PRODUCER') AND c.start_ns >= $since AND c.start_ns < $until
"""


def dependencies(con: duckdb.DuckDBPyConnection, service: str, since_ns: int, until_ns: int) -> list[dict[str, Any]]:
    """RED per downstream of one service's client spans: the instrumented service that
    answered, else the database, RPC service or host they name."""
    return _dicts(
        con,
        f"""
        WITH calls AS ({_CALLS} AND c.service = $service)
        SELECT target AS peer, target_kind, any_value(db_system) AS db_system, any_value(rpc_service) AS rpc_service,
            any_value(server_address) AS server_address, {_red()}
        FROM calls
        WHERE target IS NOT NULL
        GROUP BY target, target_kind
        ORDER BY requests DESC, peer
        """,
        {"service": service, "since": since_ns, "until": until_ns, "skew": CLOCK_SKEW_NS},
    )


def topology(con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int) -> list[dict[str, Any]]:
    """Edges between services and to their peers, with call count, error rate and
    average latency, measured on the caller's client spans."""
    return _dicts(
        con,
        f"""
        WITH calls AS ({_CALLS})
        SELECT source, target, target_kind, count(*) AS calls,
            {ERRORS} / count(*) AS error_rate,
            avg(duration_ns) AS avg_ns
        FROM calls
        WHERE target IS NOT NULL
        GROUP BY source, target, target_kind
        ORDER BY source, target
        """,
        {"since": since_ns, "until": until_ns, "skew": CLOCK_SKEW_NS},
    )


def traces(
    con: duckdb.DuckDBPyConnection,
    since_ns: int,
    until_ns: int,
    service: str | None = None,
    endpoint: str | None = None,
    status: str | None = None,
    min_duration_ns: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Requests matching the filters, newest first, each with its trace's span count.

    `status` is "error" or "ok" (not an error); None means both. The span
    counts read only the hits' traces (a semi join), not every trace's.
    """
    return _dicts(
        con,
        f"""
        WITH hits AS (
            SELECT trace_id, span_id, service, endpoint, name, start_ns, duration_ns, status, http_status,
                {IS_ERROR} AS error
            FROM spans
            WHERE {_ENTRY} AND start_ns >= $since AND start_ns < $until
                AND ($service IS NULL OR service = $service)
                AND ($endpoint IS NULL OR endpoint = $endpoint)
                AND ($status IS NULL OR {IS_ERROR} = ($status = 'error'))
                AND duration_ns >= $min_duration
            ORDER BY start_ns DESC
            LIMIT $limit
        )
        , counts AS (
            SELECT trace_id, count(*) AS spans FROM spans WHERE trace_id IN (SELECT trace_id FROM hits) GROUP BY trace_id
        )
        SELECT hits.*, counts.spans
        FROM hits JOIN counts USING (trace_id)
        ORDER BY start_ns DESC
        """,
        {
            "since": since_ns,
            "until": until_ns,
            "service": service,
            "endpoint": endpoint,
            "status": status,
            "min_duration": min_duration_ns,
            "limit": limit,
        },
    )


def trace(con: duckdb.DuckDBPyConnection, trace_id: str) -> list[dict[str, Any]]:
    """Every span of one trace in start order, attributes, events and resource included."""
    rows = _dicts(
        con,
        f"""
        SELECT trace_id, span_id, parent_span_id, service, instance, name, kind, start_ns, duration_ns,
            status, status_message, endpoint, error_type, scope, attributes, events, resource, {IS_ERROR} AS error
        FROM spans
        WHERE trace_id = $trace_id
        ORDER BY start_ns, span_id
        """,
        {"trace_id": trace_id},
    )
    for row in rows:
        for key in ("attributes", "events", "resource"):
            row[key] = json.loads(row[key])
    return rows


def db_statements(
    con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int, service: str | None = None
) -> list[dict[str, Any]]:
    """Per normalised statement: count, errors, avg and p99, the three slowest traces."""
    return _dicts(
        con,
        f"""
        SELECT db_system, db_statement AS statement, {_red("calls")},
            max_by(trace_id, duration_ns, 3) AS slowest_trace_ids
        FROM spans
        WHERE db_statement IS NOT NULL AND start_ns >= $since AND start_ns < $until
            AND ($service IS NULL OR service = $service)
        GROUP BY db_system, db_statement
        ORDER BY calls * avg_ns DESC, statement
        """,
        {"since": since_ns, "until": until_ns, "service": service},
    )


def errors(
    con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int, service: str | None = None
) -> list[dict[str, Any]]:
    """Error spans grouped by service, error type and endpoint, most frequent first,
    with the latest trace as an example."""
    return _dicts(
        con,
        f"""
        SELECT service, {_ERROR_TYPE} AS error_type, endpoint, kind,
            count(*) AS count, max_by(trace_id, start_ns) AS latest_trace_id
        FROM spans
        WHERE {IS_ERROR} AND start_ns >= $since AND start_ns < $until
            AND ($service IS NULL OR service = $service)
        GROUP BY ALL
        ORDER BY count DESC, service, error_type, endpoint
        """,
        {"since": since_ns, "until": until_ns, "service": service},
    )


def error_series(
    con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int, service: str | None = None
) -> list[dict[str, Any]]:
    """Error spans per minute, per service and error type: the errors page's chart."""
    return _dicts(
        con,
        f"""
        SELECT service, {_ERROR_TYPE} AS error_type,
            start_ns // {MINUTE_NS} * {MINUTE_NS} AS minute_ns, count(*) AS count
        FROM spans
        WHERE {IS_ERROR} AND start_ns >= $since AND start_ns < $until
            AND ($service IS NULL OR service = $service)
        GROUP BY ALL
        ORDER BY service, error_type, minute_ns
        """,
        {"since": since_ns, "until": until_ns, "service": service},
    )


def instance_red(
    con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int, service: str | None = None
) -> list[dict[str, Any]]:
    """RED of the requests each service instance served, with its host name and pid."""
    return _dicts(
        con,
        f"""
        SELECT service, instance, {_INSTANCE_HOST}, {_red()}
        FROM spans
        WHERE {_ENTRY} AND start_ns >= $since AND start_ns < $until
            AND ($service IS NULL OR service = $service)
        GROUP BY service, instance
        ORDER BY service, instance NULLS FIRST
        """,
        {"since": since_ns, "until": until_ns, "service": service},
    )


def instances(
    con: duckdb.DuckDBPyConnection, since_ns: int, until_ns: int, service: str | None = None
) -> list[dict[str, Any]]:
    """Per instance and sum or gauge metric (the Go runtime's goroutines, heap, GC...):
    the latest value, when it was taken and how many points arrived; the instance's
    host name and pid."""
    return _dicts(
        con,
        f"""
        SELECT service, instance, {_INSTANCE_HOST}, name, any_value(unit) AS unit, arg_max(value, time_ns) AS latest,
            max(time_ns) AS latest_ns, count(*) AS points
        FROM metric_points
        WHERE value IS NOT NULL AND time_ns >= $since AND time_ns < $until
            AND ($service IS NULL OR service = $service)
        GROUP BY service, instance, name
        ORDER BY service, instance NULLS FIRST, name
        """,
        {"since": since_ns, "until": until_ns, "service": service},
    )


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
