"""OTLP/HTTP server: POST /v1/traces and /v1/metrics (protobuf or JSON), per the spec."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from google.protobuf.message import Message
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from rulec.view import payload, rpc_status
from rulec.view.metrics import points_from_request
from rulec.view.serving import OTLP_HTTP, LoopbackServer
from rulec.view.spans import spans_from_request
from rulec.view.store import Store, StoreBusy, Stores

TRACES_PATH = "/v1/traces"
METRICS_PATH = "/v1/metrics"
LOGS_PATH = "/v1/logs"
MAX_BODY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class _Ingest:
    """Which request message a path carries and where its converted records go."""

    request: type[Message]
    convert: Callable[[Any], list[Any]]
    store: Callable[[Stores], Store[Any]]


@dataclass(frozen=True)
class _Signal:
    response: type[Message]
    # None: the body is not even decoded, just answered with an empty response.
    ingest: _Ingest | None = None


_SIGNALS: dict[str, _Signal] = {
    TRACES_PATH: _Signal(
        ExportTraceServiceResponse,
        _Ingest(ExportTraceServiceRequest, spans_from_request, lambda s: s.spans),
    ),
    METRICS_PATH: _Signal(
        ExportMetricsServiceResponse,
        _Ingest(ExportMetricsServiceRequest, points_from_request, lambda s: s.metrics),
    ),
    # Logs are accepted undecoded and dropped, so their exporters do not retry forever.
    LOGS_PATH: _Signal(ExportLogsServiceResponse),
}


class OtlpHttpServer(LoopbackServer):
    purpose = OTLP_HTTP

    def __init__(self, address: tuple[str, int], stores: Stores) -> None:
        self.stores = stores
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps exporter connections alive; every reply sets Content-Length.
    protocol_version = "HTTP/1.1"
    # Headers and body are two writes: with Nagle on, the body waits for the
    # exporter's delayed ACK of the headers, 40 ms on every export.
    disable_nagle_algorithm = True
    server: OtlpHttpServer

    def log_message(self, fmt: str, *args: object) -> None:
        """Silence per-request logging; the receiver's output is what it stored."""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in _SIGNALS:
            self._send_status(
                HTTPStatus.METHOD_NOT_ALLOWED,
                rpc_status.UNIMPLEMENTED,
                "use POST",
                payload.PROTOBUF,
            )
        else:
            self._not_found(path, payload.PROTOBUF)

    def do_POST(self) -> None:
        kind = payload.media_type(self.headers.get("Content-Type"))
        reply_kind = kind or payload.PROTOBUF
        body = self._read_body(reply_kind)
        if body is None:
            return
        path = urlsplit(self.path).path
        signal = _SIGNALS.get(path)
        if signal is None:
            self._not_found(path, reply_kind)
            return
        encoding = self.headers.get("Content-Encoding")
        if kind is None or not payload.supported_encoding(encoding):
            self._send_status(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                rpc_status.INVALID_ARGUMENT,
                f"unsupported Content-Type {self.headers.get('Content-Type')!r} "
                f"or Content-Encoding {encoding!r}",
                reply_kind,
            )
            return
        if signal.ingest is not None and not self._ingest(
            signal.ingest, body, encoding, kind
        ):
            return
        self._send_message(signal.response(), kind)

    def _ingest(
        self, ingest: _Ingest, body: bytes, encoding: str | None, kind: str
    ) -> bool:
        """Decode and store the body; if it is malformed, answer 400 and return False."""
        store = ingest.store(self.server.stores)
        try:
            request = payload.decode_request(
                payload.decompress(body, encoding), kind, ingest.request
            )
        except payload.PayloadError as exc:
            store.record_malformed()
            self._send_status(
                HTTPStatus.BAD_REQUEST, rpc_status.INVALID_ARGUMENT, str(exc), kind
            )
            return False
        try:
            store.add(ingest.convert(request))
        except StoreBusy as exc:
            # OTLP/HTTP's retryable answer; exporters wait Retry-After and resend.
            self._send_status(HTTPStatus.SERVICE_UNAVAILABLE, rpc_status.UNAVAILABLE, str(exc), kind)
            return False
        return True

    def _read_body(self, reply_kind: str) -> bytes | None:
        """Read the body (Content-Length or chunked); on failure reply, return None."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(reply_kind)
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0:
            self._refuse_body(HTTPStatus.BAD_REQUEST, "bad Content-Length", reply_kind)
            return None
        if length > MAX_BODY_BYTES:
            self._refuse_body(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large", reply_kind
            )
            return None
        return self.rfile.read(length)

    def _read_chunked(self, reply_kind: str) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                size = -1
            total += max(size, 0)
            if size < 0 or total > MAX_BODY_BYTES:
                self._refuse_body(
                    HTTPStatus.BAD_REQUEST, "bad or too large chunked body", reply_kind
                )
                return None
            if size == 0:
                # Skip optional trailers up to the blank line ending the message.
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _not_found(self, path: str, kind: str) -> None:
        message = f"unknown path {path}"
        self._send_status(HTTPStatus.NOT_FOUND, rpc_status.NOT_FOUND, message, kind)

    def _refuse_body(self, http_status: HTTPStatus, message: str, kind: str) -> None:
        # The unread body cannot be skipped reliably, so this connection is finished.
        self.close_connection = True
        code = (
            rpc_status.RESOURCE_EXHAUSTED
            if http_status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            else rpc_status.INVALID_ARGUMENT
        )
        self._send_status(http_status, code, message, kind)

    def _send_status(
        self, http_status: HTTPStatus, code: int, message: str, kind: str
    ) -> None:
        body = payload.encode_message(
            rpc_status.Status(code=code, message=message), kind
        )
        self._send(http_status, body, kind)

    def _send_message(self, message: Message, kind: str) -> None:
        self._send(HTTPStatus.OK, payload.encode_message(message, kind), kind)

    def _send(self, http_status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(http_status)
        if http_status == HTTPStatus.SERVICE_UNAVAILABLE:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
