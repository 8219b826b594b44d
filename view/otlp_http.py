"""OTLP/HTTP server: POST /v1/traces (protobuf or JSON), answering per the spec."""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from google.protobuf.message import Message
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceResponse,
)

from view import payload, rpc_status
from view.spans import spans_from_request
from view.store import SpanStore

TRACES_PATH = "/v1/traces"
# Metrics and logs are accepted and dropped so exporters for them do not retry forever.
_DISCARDED: dict[str, type[Message]] = {
    "/v1/metrics": ExportMetricsServiceResponse,
    "/v1/logs": ExportLogsServiceResponse,
}
MAX_BODY_BYTES = 64 * 1024 * 1024


class OtlpHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: SpanStore) -> None:
        self.store = store
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps exporter connections alive; every reply sets Content-Length.
    protocol_version = "HTTP/1.1"
    server: OtlpHttpServer

    def log_message(self, fmt: str, *args: object) -> None:
        """Silence per-request logging; the receiver's output is the trace trees."""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == TRACES_PATH or path in _DISCARDED:
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
        if path != TRACES_PATH and path not in _DISCARDED:
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
        if path in _DISCARDED:
            self._send_message(_DISCARDED[path](), kind)
            return
        try:
            request = payload.decode_trace_request(
                payload.decompress(body, encoding), kind
            )
        except payload.PayloadError as exc:
            self.server.store.record_malformed()
            self._send_status(
                HTTPStatus.BAD_REQUEST, rpc_status.INVALID_ARGUMENT, str(exc), kind
            )
            return
        self.server.store.add(spans_from_request(request))
        self._send_message(ExportTraceServiceResponse(), kind)

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
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
