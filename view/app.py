"""`rulec view`: OTLP receiver -> DuckDB store -> JSON API, in one process."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb

from rulec.view.alerter import Alerter
from rulec.view.api import ApiServer
from rulec.view.db import DataInUse, ViewDb
from rulec.view.receiver import OtlpReceiver
from rulec.view.serving import CONSOLE, OTLP_GRPC, OTLP_HTTP, PortUnavailable
from rulec.view.signals import stop_on_signals
from rulec.view.static import BUILD_HINT, missing_vendor
from rulec.view.store import Stores

# The `rulec view` option that sets each server's port.
_PORT_OPTIONS = {CONSOLE: "--port", OTLP_HTTP: "--otlp-http-port", OTLP_GRPC: "--otlp-grpc-port"}


def default_data_dir() -> Path:
    """$XDG_DATA_HOME/rulec/view, else ~/.local/share/rulec/view: data, not a cache."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "rulec" / "view"


class ViewApp:
    """The three parts wired together; ports given as 0 are chosen by the OS at start()."""

    def __init__(
        self, data_dir: Path, retention_s: float, port: int = 0, http_port: int = 0, grpc_port: int = 0, webhook: str | None = None
    ) -> None:
        self.db = ViewDb(data_dir, retention_s)
        self.alerter = Alerter(self.db, webhook)
        self.receiver = OtlpReceiver(http_port, grpc_port, Stores.forwarding(self.db.add_spans, self.db.add_metrics))
        self._port = port
        self.api: ApiServer | None = None
        self._api_thread: threading.Thread | None = None

    def start(self) -> Self:
        try:
            self.receiver.start()
            self.api = ApiServer(self._port, self.db)
        except OSError:
            self.receiver.stop()
            self.db.close()
            raise
        self._api_thread = threading.Thread(target=self.api.serve_forever, kwargs={"poll_interval": 0.05}, name="view-api", daemon=True)
        self._api_thread.start()
        self.alerter.start()
        return self

    def stop(self) -> None:
        """Stop receiving first, so the store's final flush holds everything accepted."""
        self.receiver.stop()
        self.alerter.stop()
        if self.api is not None:
            self.api.shutdown()
            self.api.server_close()
        if self._api_thread is not None:
            self._api_thread.join()
        self.db.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def run(data_dir: Path, retention_s: float, port: int, http_port: int, grpc_port: int, webhook: str | None = None) -> int:
    """Serve until SIGINT or SIGTERM; the exit status."""
    stop = stop_on_signals()
    try:
        app = ViewApp(data_dir, retention_s, port, http_port, grpc_port, webhook).start()
    except (OSError, DataInUse, duckdb.Error) as exc:
        print(f"rulec view: {_start_failure(exc)}", file=sys.stderr)
        return 1
    assert app.api is not None
    print(f"rulec view: console  {app.api.url}", flush=True)
    print(f"rulec view: OTLP/HTTP {app.receiver.http_endpoint}  OTLP/gRPC {app.receiver.grpc_endpoint}", flush=True)
    print(f"rulec view: data in {app.db.path}", flush=True)
    print(f"rulec view: live configuration  RULEC_CONFIG_URL={app.api.url}config/SERVICE", flush=True)
    if missing := missing_vendor():
        # The API still works; the console's charts and graph would not load.
        print(f"rulec view: console libraries missing ({', '.join(missing)}): {BUILD_HINT}", file=sys.stderr, flush=True)
    try:
        # A timed wait, so the main thread wakes up to run the signal handler.
        while not stop.wait(0.5):
            pass
    finally:
        app.stop()
    print("rulec view: stopped, store flushed", flush=True)
    return 0


def _start_failure(exc: OSError | DataInUse | duckdb.Error) -> str:
    """Why the view could not start, with the option that gets around it."""
    if isinstance(exc, PortUnavailable):
        return f"{exc}; choose another port with {_PORT_OPTIONS[exc.purpose]}"
    if isinstance(exc, DataInUse):
        return f"{exc}; stop it or choose another folder with --data"
    return str(exc)
