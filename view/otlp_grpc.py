"""OTLP/gRPC server: Trace- and MetricsService/Export via the opentelemetry-proto stubs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2_grpc
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from rulec.view.metrics import points_from_request
from rulec.view.serving import OTLP_GRPC, check_bindable, listening
from rulec.view.spans import spans_from_request
from rulec.view.store import Store, StoreBusy, Stores

_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE_BYTES),
    # Without this, Linux lets a second process bind the same port silently.
    ("grpc.so_reuseport", 0),
]


def _add(store: Store[Any], items: list[Any], context: grpc.ServicerContext) -> None:
    try:
        store.add(items)
    except StoreBusy as exc:
        # UNAVAILABLE is the code OTLP exporters retry, with backoff.
        context.abort(grpc.StatusCode.UNAVAILABLE, str(exc))


class _TraceService(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, stores: Stores) -> None:
        self._stores = stores

    def Export(
        self, request: ExportTraceServiceRequest, context: grpc.ServicerContext
    ) -> ExportTraceServiceResponse:
        _add(self._stores.spans, spans_from_request(request), context)
        return ExportTraceServiceResponse()


class _MetricsService(metrics_service_pb2_grpc.MetricsServiceServicer):
    def __init__(self, stores: Stores) -> None:
        self._stores = stores

    def Export(
        self, request: ExportMetricsServiceRequest, context: grpc.ServicerContext
    ) -> ExportMetricsServiceResponse:
        _add(self._stores.metrics, points_from_request(request), context)
        return ExportMetricsServiceResponse()


def start_grpc_server(
    host: str, port: int, stores: Stores
) -> tuple[grpc.Server, int]:
    """Bind and start; return the server and its port (chosen by the OS for 0)."""
    server = grpc.server(ThreadPoolExecutor(max_workers=4), options=_OPTIONS)
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(
        _TraceService(stores), server
    )
    metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(
        _MetricsService(stores), server
    )
    with listening(OTLP_GRPC, host, port):
        check_bindable(host, port)
        try:
            bound = server.add_insecure_port(f"{host}:{port}")
        except RuntimeError as exc:
            raise OSError(str(exc)) from exc
        if bound == 0:
            raise OSError("gRPC bound no address")
    server.start()
    return server, bound
