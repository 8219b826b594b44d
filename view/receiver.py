"""`OtlpReceiver`: OTLP/HTTP and OTLP/gRPC trace and metrics servers on background threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self

import grpc

from rulec.view.metrics import MetricPoint, format_metric_summary
from rulec.view.otlp_grpc import start_grpc_server
from rulec.view.otlp_http import OtlpHttpServer
from rulec.view.spans import Span
from rulec.view.store import Stores
from rulec.view.tree import format_trace_trees

HOST = "127.0.0.1"
_DUMP_MAX_LINES = 200


class OtlpReceiver:
    """Collects spans and metric points sent over OTLP; the OS picks ports given as 0 at start()."""

    def __init__(
        self, http_port: int = 0, grpc_port: int = 0, stores: Stores | None = None
    ) -> None:
        self.http_port = http_port
        self.grpc_port = grpc_port
        self._stores = stores or Stores()
        self._http: OtlpHttpServer | None = None
        self._http_thread: threading.Thread | None = None
        self._grpc: grpc.Server | None = None

    def start(self) -> Self:
        if self._http is not None:
            raise RuntimeError("receiver already started")
        http = OtlpHttpServer((HOST, self.http_port), self._stores)
        try:
            self._grpc, self.grpc_port = start_grpc_server(
                HOST, self.grpc_port, self._stores
            )
        except OSError:
            http.server_close()
            raise
        self._http = http
        self.http_port = http.server_address[1]
        self._http_thread = threading.Thread(
            # A short poll interval keeps stop() quick; idle cost is negligible.
            target=http.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="otlp-http",
            daemon=True,
        )
        self._http_thread.start()
        return self

    def stop(self) -> None:
        """Stop both servers; whatever was received stays readable."""
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._http_thread is not None:
            self._http_thread.join()
            self._http_thread = None
        if self._grpc is not None:
            self._grpc.stop(grace=None).wait()
            self._grpc = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def http_endpoint(self) -> str:
        """Base URL, as for OTEL_EXPORTER_OTLP_ENDPOINT with http/protobuf."""
        return f"http://{HOST}:{self.http_port}"

    @property
    def grpc_endpoint(self) -> str:
        """Base URL, as for OTEL_EXPORTER_OTLP_ENDPOINT with the grpc protocol."""
        return f"http://{HOST}:{self.grpc_port}"

    @property
    def grpc_target(self) -> str:
        """host:port, as grpc.insecure_channel() expects."""
        return f"{HOST}:{self.grpc_port}"

    @property
    def malformed_requests(self) -> int:
        """HTTP trace and metrics requests answered 400 because their body could not be decoded."""
        return self._stores.malformed_requests

    def spans(self) -> list[Span]:
        return self._stores.spans.snapshot()

    def metrics(self) -> list[MetricPoint]:
        """Every metric data point received so far, in arrival order."""
        return self._stores.metrics.snapshot()

    def clear(self) -> None:
        """Forget received spans and metric points (malformed counts are kept)."""
        self._stores.clear()

    def wait_for(
        self, predicate: Callable[[list[Span]], bool], timeout: float
    ) -> list[Span]:
        """Wait until predicate(spans) holds; return them or raise TimeoutError."""
        satisfied, spans = self._stores.spans.wait_for(predicate, timeout)
        if satisfied:
            return spans
        header = (
            f"condition not met within {timeout:g}s; received {len(spans)} span(s), "
            f"{self._stores.spans.malformed_requests} malformed request(s):"
        )
        raise TimeoutError(_report(header, format_trace_trees(spans).splitlines()))

    def wait_for_metrics(
        self, predicate: Callable[[list[MetricPoint]], bool], timeout: float
    ) -> list[MetricPoint]:
        """Wait until predicate(points) holds; return them or raise TimeoutError."""
        satisfied, points = self._stores.metrics.wait_for(predicate, timeout)
        if satisfied:
            return points
        lines = format_metric_summary(points) or ["no metrics received"]
        header = (
            f"condition not met within {timeout:g}s; received {len(points)} metric point(s), "
            f"{self._stores.metrics.malformed_requests} malformed request(s):"
        )
        raise TimeoutError(_report(header, lines))


def _report(header: str, lines: list[str]) -> str:
    if len(lines) > _DUMP_MAX_LINES:
        hidden = len(lines) - _DUMP_MAX_LINES
        lines = [*lines[:_DUMP_MAX_LINES], f"... ({hidden} more lines)"]
    return "\n".join([header, *lines])
