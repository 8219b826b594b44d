"""What the view's servers share: a failed bind names its port and what the
port was for, so `rulec view` can say which option picks another; a client
that goes away mid-answer leaves no traceback."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONSOLE = "console"
OTLP_HTTP = "OTLP/HTTP receiver"
OTLP_GRPC = "OTLP/gRPC receiver"


class PortUnavailable(OSError):
    """A server cannot listen; `purpose` says which (CONSOLE, OTLP_HTTP, OTLP_GRPC)."""

    def __init__(self, purpose: str, host: str, port: int, reason: str) -> None:
        super().__init__(f"cannot listen on {host}:{port} for the {purpose}: {reason}")
        self.purpose = purpose
        self.port = port


@contextmanager
def listening(purpose: str, host: str, port: int) -> Iterator[None]:
    """A bind failing in the block, as PortUnavailable."""
    try:
        yield
    except PortUnavailable:
        raise
    except OSError as exc:
        raise PortUnavailable(purpose, host, port, exc.strerror or str(exc)) from exc


def check_bindable(host: str, port: int) -> None:
    """Bind the port and let it go, as gRPC binds it (SO_REUSEADDR): gRPC's own
    failure says not why (in use? not allowed?) and logs a line of its own."""
    if port == 0:
        return
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class LoopbackServer(ThreadingHTTPServer):
    """A threading HTTP server whose bind failure names `purpose`."""

    daemon_threads = True
    purpose = ""

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        with listening(self.purpose, *address):
            super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser tab closed or an exporter killed mid-request (BrokenPipeError,
        # ConnectionResetError): routine for a server, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
