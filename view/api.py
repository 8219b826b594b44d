"""The console's JSON API over view/queries.py, on a loopback HTTP server.

Every `/api/...` endpoint takes its parameters from the query string and
answers JSON; the settings (view/config.py, view/alerts.py) also take a JSON
body (PUT, POST, DELETE). `GET /config/SERVICE` is the runtime's
RULEC_CONFIG_URL document itself. Time windows: `since_ns` and `until_ns` (Unix nanoseconds), or
`last` (a duration such as 15m) ending now; the default is the last hour.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb

from rulec.view import alerts, config, queries
from rulec.view.db import ViewDb
from rulec.view.duration import parse_duration
from rulec.view.serving import CONSOLE, LoopbackServer
from rulec.view.static import static_file

HOST = "127.0.0.1"
_DEFAULT_WINDOW_S = 3600.0
_MAX_LIMIT = 10_000
_MAX_BODY = 1 << 20
_RULE_PATH = re.compile(r"/api/alerts/(\d+)")


class _BadRequest(Exception):
    pass


class _NotFound(Exception):
    pass


def _missing(name: str) -> Any:
    raise _BadRequest(f"missing parameter {name!r}")


def _no_rule(rule_id: str) -> Any:
    raise _NotFound(f"no alert rule {rule_id}")


class _Params:
    """One request's query string, with the typed readers the endpoints need."""

    def __init__(self, query: str) -> None:
        self._values = {k: v[-1] for k, v in parse_qs(query).items()}

    def text(self, name: str) -> str | None:
        return self._values.get(name) or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise _BadRequest(f"missing parameter {name!r}")
        return value

    def int(self, name: str, default: int) -> int:
        value = self.text(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise _BadRequest(f"parameter {name!r} must be an integer, not {value!r}") from None

    def limit(self) -> int:
        value = self.int("limit", 100)
        if not 1 <= value <= _MAX_LIMIT:
            raise _BadRequest(f"limit must be between 1 and {_MAX_LIMIT}")
        return value

    def window(self) -> tuple[int, int]:
        until = self.int("until_ns", time.time_ns())
        last = self.text("last")
        try:
            span_s = parse_duration(last) if last else _DEFAULT_WINDOW_S
        except ValueError as exc:
            raise _BadRequest(str(exc)) from None
        return self.int("since_ns", until - int(span_s * 1e9)), until


_Endpoint = Callable[[duckdb.DuckDBPyConnection, _Params], Any]


def _traces(con: duckdb.DuckDBPyConnection, p: _Params) -> Any:
    status = p.text("status")
    if status not in (None, "error", "ok"):
        raise _BadRequest("status must be 'error' or 'ok'")
    return queries.traces(
        con,
        *p.window(),
        service=p.text("service"),
        endpoint=p.text("endpoint"),
        status=status,
        min_duration_ns=p.int("min_duration_ns", 0),
        limit=p.limit(),
    )


def _config(con: duckdb.DuckDBPyConnection, p: _Params) -> Any:
    service = p.text("service")
    found = {"service": service, **config.document(con, service)} if service else {"services": config.services(con, p.window()[0])}
    return {**found, "known_plugins": list(config.known_plugins())}


ENDPOINTS: dict[str, tuple[str, _Endpoint]] = {
    "/api/overview": ("per service RED, instances, per-minute series", lambda c, p: queries.overview(c, *p.window())),
    "/api/endpoints": ("?service= RED per route / RPC method", lambda c, p: queries.endpoints(c, p.required("service"), *p.window())),
    "/api/dependencies": (
        "?service= RED per downstream",
        lambda c, p: queries.dependencies(c, p.required("service"), *p.window()),
    ),
    "/api/topology": ("service and database edges", lambda c, p: queries.topology(c, *p.window())),
    "/api/traces": ("?service=&endpoint=&status=error|ok&min_duration_ns=&limit= requests", _traces),
    "/api/trace": ("?trace_id= every span of a trace", lambda c, p: queries.trace(c, p.required("trace_id"))),
    "/api/db_statements": ("[?service=] per normalised statement", lambda c, p: queries.db_statements(c, *p.window(), p.text("service"))),
    "/api/errors": ("[?service=] per error type and endpoint", lambda c, p: queries.errors(c, *p.window(), p.text("service"))),
    "/api/errors/series": (
        "[?service=] errors per minute, per service and error type",
        lambda c, p: queries.error_series(c, *p.window(), p.text("service")),
    ),
    "/api/instances": (
        "[?service=] latest runtime metrics per instance",
        lambda c, p: queries.instances(c, *p.window(), p.text("service")),
    ),
    "/api/instances/red": (
        "[?service=] RED of each instance's requests",
        lambda c, p: queries.instance_red(c, *p.window(), p.text("service")),
    ),
    "/api/config": ("[?service=] live configuration (PUT/POST ?service= to change)", _config),
    "/api/alerts": (
        "alert rules with state and value (POST to add, PUT/DELETE /api/alerts/ID)",
        lambda c, p: {"rules": alerts.rules(c), "metrics": {k: v[0] for k, v in alerts.METRICS.items()}},
    ),
    "/api/alerts/events": ("?limit= latest alert state changes", lambda c, p: alerts.events(c, p.limit())),
}


class ApiServer(LoopbackServer):
    purpose = CONSOLE

    def __init__(self, port: int, db: ViewDb) -> None:
        self.db = db
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: with Nagle on, the body waits for the
    # client's delayed ACK of the headers, 40 ms on every answer.
    disable_nagle_algorithm = True
    server: ApiServer

    def log_message(self, fmt: str, *args: object) -> None:
        """Quiet: the console polls, a line per request would drown the output."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/" or url.path.startswith("/static/"):
            self._static(url.path.removeprefix("/static/") if url.path != "/" else "index.html")
            return
        if url.path == "/config" or url.path.startswith("/config/"):
            # The runtime's document as is: its decoder refuses any other key.
            service = url.path.removeprefix("/config").strip("/") or _Params(url.query).text("service")
            self._run(lambda con: config.document(con, service) if service else _missing("service"))
            return
        entry = ENDPOINTS.get(url.path)
        if entry is None:
            listing = {path: doc for path, (doc, _) in ENDPOINTS.items()}
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such endpoint {url.path!r}", "endpoints": listing})
            return
        self._run(lambda con: entry[1](con, _Params(url.query)))

    def do_PUT(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        if url.path == "/api/config":
            service = _Params(url.query).text("service")
            self._run(lambda con: config.save(con, service, body(), time.time_ns()) if service else _missing("service"))
        elif match := _RULE_PATH.fullmatch(url.path):
            self._run(lambda con: alerts.replace(con, int(match[1]), body()) or _no_rule(match[1]))
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"cannot PUT {url.path!r}"})

    def do_POST(self) -> None:
        if urlsplit(self.path).path == "/api/alerts":
            body = self._body()
            self._run(lambda con: alerts.add(con, body()))
        else:
            self.do_PUT()  # /api/config takes both

    def do_DELETE(self) -> None:
        match = _RULE_PATH.fullmatch(urlsplit(self.path).path)
        if match is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"cannot DELETE {self.path!r}"})
            return
        self._run(lambda con: {"deleted": int(match[1])} if alerts.delete(con, int(match[1])) else _no_rule(match[1]))

    def _body(self) -> Callable[[], Any]:
        """Read the body now (the connection needs it drained); decode it when asked."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, _MAX_BODY))

        def decode() -> Any:
            if length > _MAX_BODY:
                raise _BadRequest("body too large")
            try:
                return json.loads(raw or b"null")
            except ValueError as exc:
                raise _BadRequest(f"body is not JSON: {exc}") from None

        return decode

    def _run(self, answer: Callable[[duckdb.DuckDBPyConnection], Any]) -> None:
        con = self.server.db.reader()
        try:
            self._json(HTTPStatus.OK, answer(con))
        except _NotFound as exc:
            self._json(HTTPStatus.NOT_FOUND, {"error": str(exc)})
        except (_BadRequest, config.ConfigError, alerts.RuleError) as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
        except duckdb.Error as exc:
            print(f"rulec view: {self.path}: {exc}", file=sys.stderr)
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": str(exc)})
        finally:
            con.close()

    def _static(self, relative: str) -> None:
        found = static_file(relative)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", f"no console file {relative!r}\n".encode())
            return
        self._send(HTTPStatus.OK, *found)

    def _json(self, status: HTTPStatus, body: Any) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
