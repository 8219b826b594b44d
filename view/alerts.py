"""Alert rules and their events, kept in the store so both survive a restart.

A rule watches one figure of a service (or one of its endpoints) over a
trailing window and fires while the figure is above its threshold. A window
without the spans the figure needs has no value, which counts as "not above".
"""

from __future__ import annotations

from typing import Any

import duckdb

from rulec.view.duration import parse_duration
from rulec.view.queries import IS_ERROR

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS alert_rule_ids;
CREATE TABLE IF NOT EXISTS alert_rules (
    id BIGINT PRIMARY KEY DEFAULT nextval('alert_rule_ids'),
    name VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    service VARCHAR NOT NULL,
    endpoint VARCHAR,          -- NULL: all of the service's requests (or DB calls)
    threshold DOUBLE NOT NULL,
    window_s DOUBLE NOT NULL,
    webhook VARCHAR,           -- NULL: `rulec view --webhook`, if given
    state VARCHAR NOT NULL DEFAULT 'ok',
    value DOUBLE,
    evaluated_ns BIGINT
);
CREATE TABLE IF NOT EXISTS alert_events (
    rule_id BIGINT NOT NULL,
    rule_name VARCHAR NOT NULL,
    state VARCHAR NOT NULL,    -- 'firing' or 'resolved'
    value DOUBLE,
    threshold DOUBLE NOT NULL,
    time_ns BIGINT NOT NULL
);
"""

_ENTRY = "kind IN ('SERVER', 'CONSUMER')"
_DB = "kind = 'CLIENT' AND db_system IS NOT NULL"
# metric: (what it means, the spans it looks at, the figure over them).
METRICS: dict[str, tuple[str, str, str]] = {
    "error_rate": ("share of requests that are errors (0..1; a 4xx is not a server's error)", _ENTRY, f"avg({IS_ERROR}::INTEGER)"),
    "p99_ms": ("p99 request latency, ms", _ENTRY, "quantile_cont(duration_ns, 0.99) / 1e6"),
    "http_5xx_ratio": (
        "share of HTTP requests answered 5xx (0..1)",
        f"{_ENTRY} AND http_status IS NOT NULL",
        "avg(CASE WHEN http_status >= 500 THEN 1 ELSE 0 END)",
    ),
    "http_4xx_ratio": (
        "share of HTTP requests answered 4xx (0..1)",
        f"{_ENTRY} AND http_status IS NOT NULL",
        "avg(CASE WHEN http_status BETWEEN 400 AND 499 THEN 1 ELSE 0 END)",
    ),
    "db_p99_ms": ("p99 latency of database calls, ms", _DB, "quantile_cont(duration_ns, 0.99) / 1e6"),
}

_FIELDS = ("name", "metric", "service", "endpoint", "threshold", "window", "webhook")


class RuleError(ValueError):
    pass


def validate(body: object) -> dict[str, Any]:
    """A rule's columns from `{"metric", "service", "threshold", "window", ["name", "endpoint", "webhook"]}`."""
    if not isinstance(body, dict):
        raise RuleError("want a JSON object with metric, service, threshold and window")
    if extra := sorted(set(body) - set(_FIELDS)):
        raise RuleError(f"unknown field {extra[0]!r}; fields: {', '.join(_FIELDS)}")
    metric = body.get("metric")
    if metric not in METRICS:
        raise RuleError(f"metric {metric!r}: want one of {', '.join(METRICS)}")
    service = body.get("service")
    if not isinstance(service, str) or not service:
        raise RuleError("service: want a service name")
    threshold = body.get("threshold")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise RuleError(f"threshold {threshold!r}: want a number")
    try:
        window_s = parse_duration(str(body.get("window") or ""))
    except ValueError as exc:
        raise RuleError(f"window: {exc}") from None
    webhook = body.get("webhook") or None
    if webhook is not None and not (isinstance(webhook, str) and webhook.startswith(("http://", "https://"))):
        raise RuleError(f"webhook {webhook!r}: want an http:// or https:// URL")
    endpoint = body.get("endpoint") or None
    name = body.get("name") or f"{service}{' ' + endpoint if endpoint else ''} {metric} > {threshold}"
    return {"name": str(name), "metric": metric, "service": service, "endpoint": endpoint and str(endpoint),
            "threshold": float(threshold), "window_s": window_s, "webhook": webhook}  # fmt: skip


def add(con: duckdb.DuckDBPyConnection, body: object) -> dict[str, Any]:
    rule = validate(body)
    sql = f"INSERT INTO alert_rules ({', '.join(rule)}) VALUES ({', '.join('?' * len(rule))}) RETURNING id"
    (rule_id,) = con.execute(sql, list(rule.values())).fetchone()  # type: ignore[misc]
    return get(con, rule_id)  # type: ignore[return-value]


def replace(con: duckdb.DuckDBPyConnection, rule_id: int, body: object) -> dict[str, Any] | None:
    """Change a rule in place: its state stays, so the next evaluation resolves or fires it."""
    rule = validate(body)
    sets = ", ".join(f"{c} = ?" for c in rule)
    con.execute(f"UPDATE alert_rules SET {sets} WHERE id = ?", [*rule.values(), rule_id])
    return get(con, rule_id)


def delete(con: duckdb.DuckDBPyConnection, rule_id: int) -> bool:
    return con.execute("DELETE FROM alert_rules WHERE id = ? RETURNING id", [rule_id]).fetchone() is not None


def get(con: duckdb.DuckDBPyConnection, rule_id: int) -> dict[str, Any] | None:
    found = _dicts(con, "SELECT * FROM alert_rules WHERE id = ?", [rule_id])
    return found[0] if found else None


def rules(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _dicts(con, "SELECT * FROM alert_rules ORDER BY id", [])


def events(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    return _dicts(con, "SELECT * FROM alert_events ORDER BY time_ns DESC LIMIT ?", [limit])


def measure(con: duckdb.DuckDBPyConnection, rule: dict[str, Any], now_ns: int) -> float | None:
    """The rule's figure over its window ending now; None when no span qualifies."""
    _, spans, figure = METRICS[rule["metric"]]
    (value,) = con.execute(
        f"""SELECT {figure} FROM spans
        WHERE service = $service AND {spans} AND start_ns >= $since AND ($endpoint IS NULL OR endpoint = $endpoint)""",
        {"service": rule["service"], "endpoint": rule["endpoint"], "since": now_ns - int(rule["window_s"] * 1e9)},
    ).fetchone()  # type: ignore[misc]
    return value


def record(con: duckdb.DuckDBPyConnection, rule: dict[str, Any], state: str, value: float | None, now_ns: int) -> dict[str, Any] | None:
    """Store one evaluation; the event when the state changed (ok -> firing -> resolved)."""
    con.execute("UPDATE alert_rules SET state = ?, value = ?, evaluated_ns = ? WHERE id = ?", [state, value, now_ns, rule["id"]])
    if state == rule["state"]:
        return None
    event = {"rule_id": rule["id"], "rule_name": rule["name"], "state": "firing" if state == "firing" else "resolved",
             "value": value, "threshold": rule["threshold"], "time_ns": now_ns}  # fmt: skip
    con.execute("INSERT INTO alert_events VALUES (?, ?, ?, ?, ?, ?)", list(event.values()))
    return event


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
