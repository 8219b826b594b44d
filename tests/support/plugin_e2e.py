"""The shared layout of a plugin's end-to-end test.

A plugin's test file holds only what is its own: the releases of the
instrumented library it is tested at (the oldest supported and the newest),
a small Go program that uses the library inside an HTTP request, and the
assertions on what that program exported. This module does the rest: it
builds the program with `rulec build` once per release per test module (the
build is the expensive part: every test of the module shares it), checks the
plugins were applied, starts the real server the program talks to, runs the
program against it and the shared OTLP receiver, and waits for its spans and
metrics.

The program listens on $ADDR, answers GET /healthz once it is ready, and
reads its server's address (if it talks to one) from the variable the case
names. A test file, whole:

    '''memcache end to end against a real memcached: each command is a
    CLIENT span under the request's server span.'''

    from __future__ import annotations

    import pytest
    from support.metrics import latest
    from support.plugin_e2e import App, Backend, PluginCase, app_fixture

    pytestmark = pytest.mark.e2e

    MAIN = '''package main

    import (
        "net/http"
        "os"

        "github.com/bradfitz/gomemcache/memcache"
    )

    func main() {
        mc := memcache.New(os.Getenv("MEMCACHED_ADDR"))
        http.HandleFunc("GET /cache", func(w http.ResponseWriter, r *http.Request) {
            mc.Set(&memcache.Item{Key: "k", Value: []byte("1")})
            mc.Get("k")
        })
        http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
        http.ListenAndServe(os.Getenv("ADDR"), nil)
    }
    '''

    app = app_fixture(PluginCase(
        plugins=("memcache",),
        versions={"oldest": ["github.com/bradfitz/gomemcache@v0.0.0-20230905024940-24af94b03874"],
                  "newest": ["github.com/bradfitz/gomemcache@v0.0.0-20260422231931-4d751bb6e37c"]},
        program={"main.go": MAIN},
        server=Backend("memcached_server", "MEMCACHED_ADDR"),
    ))


    def test_commands_are_spans(app: App) -> None:
        with app.running() as live:
            assert live.get("/cache")[0] == 200
            spans = live.wait_spans("SET", "GET", "GET /cache")  # every span asserted below
            points = live.wait_metric("db.client.operation.duration")
        (request,) = [s for s in spans if s.name == "GET /cache"]
        calls = sorted((s for s in spans if s.kind == "CLIENT"), key=lambda s: s.start_ns)
        assert [s.name for s in calls] == ["SET", "GET"]
        assert all(s.parent_span_id == request.span_id for s in calls)
        assert latest(points, "db.client.operation.duration", live.pid)

Each test runs once per release (ids `[oldest]`, `[newest]`). Wait for every
span the assertions look at: the server span ends last and may come in a
later export than the spans under it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from rulec.view.metrics import MetricPoint
from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span
from support.gomod import build_app
from support.procs import free_port, get, service
from support.services import Server
from support.telemetry import Run


def host_port(server: Server) -> str:
    return server.addr


@dataclass(frozen=True)
class Backend:
    """A real server the program talks to: the session fixture that starts it
    (tests/e2e/conftest.py), the variable the program reads its address from,
    and how that address is written (host:port unless told, e.g. a DSN)."""

    fixture: str
    env: str
    address: Callable[[Server], str] = host_port


@dataclass(frozen=True)
class PluginCase:
    """What a plugin's end-to-end test builds and runs."""

    plugins: tuple[str, ...]  # every one must be active in the build
    # Test id ("oldest", "newest") → module@version, as `go get` takes them;
    # one id with no modules for a plugin of the standard library.
    versions: Mapping[str, list[str]]
    program: Mapping[str, str]  # file name → Go source
    server: Backend | None = None


@dataclass(frozen=True)
class Live:
    """The program while it runs: its URL, its process and what it exports."""

    url: str
    run: Run
    proc: subprocess.Popen[bytes]

    @property
    def pid(self) -> int:
        """The process.pid its metrics carry (support.metrics.latest takes it)."""
        return self.proc.pid

    def get(self, path: str) -> tuple[int, bytes]:
        status, body, _ = get(self.url + path)
        return status, body

    def output(self) -> str:
        """What it printed (stdout and stderr). Stops it first: only then is
        all of it in the pipe."""
        self.proc.kill()
        return self.proc.communicate()[0].decode()

    def wait_spans(self, *names: str, timeout: float = 30) -> list[Span]:
        """Its spans, once each name has arrived (a name given n times: n times)."""
        return self.run.wait_spans(*names, timeout=timeout)

    def wait_metric(self, name: str, where: Mapping[str, object] | None = None, timeout: float = 30) -> list[MetricPoint]:
        """Every point received, once it sent `name` (with the attributes in
        `where`) collected after everything it did before this call."""
        return self.run.wait_metric(name, where, timeout)


@dataclass(frozen=True)
class App:
    """The program built at one release, and the server it talks to."""

    binary: Path
    receiver: OtlpReceiver
    backend: Backend | None
    server: Server | None  # the running backend

    @contextmanager
    def running(self, **env: str) -> Iterator[Live]:
        """Run it (with `env` added) until the block ends, once it answers /healthz."""
        addr, run = f"127.0.0.1:{free_port()}", Run(self.receiver)
        # The address is made now, not at build time: it may make a fresh database.
        backend = {self.backend.env: self.backend.address(self.server)} if self.backend and self.server else {}
        with service(self.binary, {"ADDR": addr, **backend, **run.env(), **env}, f"http://{addr}/healthz") as proc:
            yield Live(f"http://{addr}", run, proc)


def app_fixture(case: PluginCase, name: str = "app") -> Any:
    """A module-scoped fixture `name`, one App per release of `case` (built
    once, shared by the module's tests): assign it to a module global so
    pytest finds it. Typed Any: pytest's type for a fixture is private."""

    @pytest.fixture(scope="module", params=sorted(case.versions), name=name)
    def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, receiver: OtlpReceiver) -> App:
        parent = tmp_path_factory.mktemp(f"{case.plugins[0]}-{request.param}")
        binary = build_app(parent, "example.com/app", dict(case.program), case.versions[request.param], case.plugins)
        server = request.getfixturevalue(case.server.fixture) if case.server else None
        return App(binary, receiver, case.server, server)

    return built
