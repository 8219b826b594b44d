"""Per-service live configuration: what `GET /config/SERVICE` serves to the
runtime's RULEC_CONFIG_URL poller (runtime-go/core/liveconfig.go).

The document is `{"sampling": {"ratio": R}, "plugins": {"disabled": [...]}}`;
the runtime decodes it strictly, and a field left out means "as configured at
start", so a NULL column is left out of the document rather than defaulted.
"""

from __future__ import annotations

import functools
from typing import Any

import duckdb

SCHEMA = """
CREATE TABLE IF NOT EXISTS service_config (
    service VARCHAR PRIMARY KEY,
    ratio DOUBLE,        -- NULL: the ratio the service started with
    disabled VARCHAR[],  -- NULL: the plugins its start configuration disabled
    updated_ns BIGINT NOT NULL
);
"""


class ConfigError(ValueError):
    """A document the runtime would refuse, or naming a plugin rulec does not have."""


@functools.cache
def known_plugins() -> tuple[str, ...]:
    """The built-in rules' plugin names; parsed once, on first use (not at start)."""
    from rulec.ruledsl.load import BUILTIN_RULES, parse_all

    plugins, _ = parse_all([BUILTIN_RULES])
    return tuple(sorted({p.name for p in plugins}))


def validate(body: object) -> tuple[float | None, list[str] | None]:
    """(ratio, disabled) from a document in the runtime's own shape."""
    if not isinstance(body, dict):
        raise ConfigError('want a JSON object such as {"sampling": {"ratio": 0.5}, "plugins": {"disabled": []}}')
    _only(body, {"sampling", "plugins"}, "")
    sampling, plugins = body.get("sampling") or {}, body.get("plugins") or {}
    _only(sampling, {"ratio"}, "sampling.")
    _only(plugins, {"disabled"}, "plugins.")
    ratio = sampling.get("ratio")
    # bool is an int in Python but not a number to Go's decoder.
    if ratio is not None and (isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1):
        raise ConfigError(f"sampling.ratio = {ratio!r}: want a number from 0 to 1")
    disabled = plugins.get("disabled")
    if disabled is not None:
        if not isinstance(disabled, list) or not all(isinstance(n, str) for n in disabled):
            raise ConfigError("plugins.disabled: want a list of plugin names")
        if unknown := sorted(set(disabled) - set(known_plugins())):
            raise ConfigError(f"plugins.disabled: unknown plugin(s) {', '.join(unknown)}; known: {', '.join(known_plugins())}")
        disabled = sorted(set(disabled))
    return (None if ratio is None else float(ratio)), disabled


def _only(obj: object, keys: set[str], prefix: str) -> None:
    if not isinstance(obj, dict):
        raise ConfigError(f"{prefix.rstrip('.')}: want a JSON object")
    if extra := sorted(set(obj) - keys):
        raise ConfigError(f"unknown key {prefix}{extra[0]}")


def save(con: duckdb.DuckDBPyConnection, service: str, body: object, now_ns: int) -> dict[str, Any]:
    """Replace the service's settings; fields left out go back to "as configured at start"."""
    ratio, disabled = validate(body)
    con.execute("INSERT OR REPLACE INTO service_config VALUES (?, ?, ?, ?)", [service, ratio, disabled, now_ns])
    return document(con, service)


def document(con: duckdb.DuckDBPyConnection, service: str) -> dict[str, Any]:
    """The runtime's document for the service: `{}` when nothing is set."""
    row = con.execute("SELECT ratio, disabled FROM service_config WHERE service = ?", [service]).fetchone()
    doc: dict[str, Any] = {}
    if row is not None and row[0] is not None:
        doc["sampling"] = {"ratio": row[0]}
    if row is not None and row[1] is not None:
        doc["plugins"] = {"disabled": row[1]}
    return doc


def services(con: duckdb.DuckDBPyConnection, since_ns: int) -> list[dict[str, Any]]:
    """Every configured service and every service seen since since_ns, with its document."""
    names = con.execute(
        "SELECT service FROM service_config UNION SELECT service FROM spans WHERE start_ns >= ? AND service IS NOT NULL ORDER BY 1",
        [since_ns],
    ).fetchall()
    return [{"service": name, **document(con, name)} for (name,) in names]
