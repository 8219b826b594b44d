"""Applications that already use the OTel Go SDK join rulec's traces.

Two apps at API versions far apart: one on OTel v1.16.0 (the first stable
metric API) that makes manual spans through the global provider and sets
none of its own; one on the newest release that sets its own
TracerProvider and OTLP exporter and wraps its handler and client with
otelhttp. In both, manual spans nest under rulec's spans and rulec's spans
under manual ones, in one trace, with one SERVER and one CLIENT span per
request (otelhttp steps aside for what rulec traces, and only then).
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.gomod import go, rulec, write_module
from support.procs import free_port, get, service

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

OTELHTTP_SCOPE = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

# What both apps share: a handler that makes a manual span and calls the
# app's own /stock under it, and a manual root span made before serving.
HANDLERS = """
	ln, err := net.Listen("tcp", os.Getenv("ADDR"))
	if err != nil {
		panic(err)
	}
	base := "http://" + ln.Addr().String()
	get := func(ctx context.Context, url string) {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		resp, err := client.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		ctx, span := tracer.Start(r.Context(), "load-order")
		defer span.End()
		get(ctx, base+"/stock")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /stock", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "7") })
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	ctx, span := tracer.Start(context.Background(), "warmup")
	go get(ctx, base+"/stock?from=warmup")
	span.End()
"""

IMPORTS = """
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
"""

# OTel v1.16.0, the global provider (rulec's): no setup at all.
GLOBAL_MAIN = f"""package main

import ({IMPORTS}
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("example.com/manual")

func main() {{
	client := http.DefaultClient
{HANDLERS}
	http.Serve(ln, mux)
}}
"""

# The newest OTel: its own provider and exporter, otelhttp around the mux
# and the client's transport, as a hand-instrumented service has them.
OWN_MAIN = f"""package main

import ({IMPORTS}
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {{
	exp, err := otlptracehttp.New(context.Background())
	if err != nil {{
		panic(err)
	}}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(50*time.Millisecond)))
	otel.SetTracerProvider(tp)
	tracer := tp.Tracer("example.com/manual")
	client := &http.Client{{Transport: otelhttp.NewTransport(http.DefaultTransport)}}
{HANDLERS}
	http.Serve(ln, otelhttp.NewHandler(mux, "orders"))
}}
"""


@dataclass(frozen=True)
class App:
    binary: Path
    build_stderr: str
    otel_version: str  # in the binary


APPS = {
    "otel-v1.16-global": (GLOBAL_MAIN, ["go.opentelemetry.io/otel@v1.16.0"]),
    "otel-v1.47-own-otelhttp": (
        OWN_MAIN,
        [
            "go.opentelemetry.io/otel@v1.47.0",
            "go.opentelemetry.io/otel/sdk@v1.47.0",
            "go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp@v1.47.0",
            f"{OTELHTTP_SCOPE}@v0.72.0",
        ],
    ),
}


def _build(root: Path, main: str, requires: list[str]) -> App:
    write_module(root, "example.com/orders", {"main.go": main})
    for args in (["get", *requires], ["mod", "tidy"]):
        proc = go(*args, cwd=root)
        assert proc.returncode == 0, proc.stderr
    binary = root / "app"
    proc = rulec("build", "-o", str(binary), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    info = subprocess.run(["go", "version", "-m", str(binary)], capture_output=True, text=True, check=True).stdout
    otel = next(line.split()[2] for line in info.splitlines() if line.split()[:2] == ["dep", "go.opentelemetry.io/otel"])
    return App(binary, proc.stderr, otel)


@pytest.fixture(scope="module", params=sorted(APPS))
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> App:
    main, requires = APPS[request.param]
    return _build(tmp_path_factory.mktemp(request.param), main, requires)


def _serve(app: App, receiver: OtlpReceiver, extra: dict[str, str] | None = None) -> list[Span]:
    """Run the app, send one order, return every span of this run."""
    addr, run = f"127.0.0.1:{free_port()}", uuid.uuid4().hex
    # Both providers, rulec's and the app's own, read the resource from the environment.
    env = {"ADDR": addr, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_BSP_SCHEDULE_DELAY": "50",
           "OTEL_SERVICE_NAME": "orders", "OTEL_RESOURCE_ATTRIBUTES": f"test.run={run}", **(extra or {})}

    def ours(spans: list[Span]) -> list[Span]:
        return [s for s in spans if s.resource.get("test.run") == run]

    def done(spans: list[Span]) -> bool:
        mine = ours(spans)
        stock = [s for s in mine if s.kind == "SERVER" and s.attributes.get("url.path") == "/stock"]
        return len(stock) >= 2 and {"load-order", "warmup"} <= {s.name for s in mine}

    with service(app.binary, env, f"http://{addr}/healthz"):
        assert get(f"http://{addr}/orders/7")[0] == 200
        return ours(receiver.wait_for(done, 30))


def _one(spans: list[Span], name: str, kind: str) -> Span:
    found = [s for s in spans if s.name == name and s.kind == kind]
    assert len(found) == 1, (name, kind, [(s.name, s.kind, s.scope) for s in spans])
    return found[0]


def test_versions_are_raised_never_lowered(app: App) -> None:
    # The runtime's OTel floor is v1.16: neither app's OTel moves, the newest
    # links the SDK of its own release, and nothing else moves either.
    raised = [ln for ln in app.build_stderr.splitlines() if "the runtime raised" in ln]
    assert raised == []
    if "v1.16" in str(app.binary.parent):
        assert app.otel_version == "v1.16.0"
    else:
        assert app.otel_version == "v1.47.0"
        assert "otelhttp" in app.build_stderr  # the otelhttp plugin applied


def test_a_module_cache_package_is_advised_and_named_as_plain_go_names_it(app: App) -> None:
    # otelhttp (in the module cache, which -overlay cannot reach) is built
    # from rulec's copy; the binary's build info and file paths do not show
    # it (this app also proves the advice ran: no otelhttp spans, below).
    if "own-otelhttp" not in str(app.binary.parent):
        pytest.skip("the app without otelhttp")
    info = subprocess.run(["go", "version", "-m", str(app.binary)], capture_output=True, text=True, check=True).stdout
    lines = info.splitlines()
    (i,) = [n for n, line in enumerate(lines) if line.split()[:2] == ["dep", OTELHTTP_SCOPE]]
    _, _, version, checksum = lines[i].split()
    assert version == "v0.72.0" and checksum.startswith("h1:")
    assert not lines[i + 1].strip().startswith("=>")
    modcache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    binary = app.binary.read_bytes()
    assert f"{modcache}/{OTELHTTP_SCOPE}@v0.72.0/handler.go".encode() in binary
    assert b"otelhttp@v0.72.0/internal/request/body_wrapper.go" in binary
    # Only the file rulec adds keeps the copy's path.
    copies = re.findall(re.escape(os.environ["RULEC_CACHE"].encode()) + rb"/modules/[^\x00]*?\.go(?![\w.])", binary)
    assert copies and all(p.endswith(b"/zz_rulec_generated.go") for p in copies), copies


def test_manual_and_rulec_spans_nest_both_ways(app: App, receiver: OtlpReceiver) -> None:
    spans = _serve(app, receiver)
    server = _one(spans, "GET /orders/{id}", "SERVER")
    manual = _one(spans, "load-order", "INTERNAL")
    assert manual.scope == "example.com/manual"
    assert manual.parent_span_id == server.span_id and manual.trace_id == server.trace_id
    # rulec's client span under the manual span, and the call it made.
    (client,) = [s for s in spans if s.kind == "CLIENT" and s.trace_id == server.trace_id]
    assert client.parent_span_id == manual.span_id and client.scope == "rulec.dev/runtime"
    (stock,) = [s for s in spans if s.kind == "SERVER" and s.trace_id == server.trace_id and s.name == "GET /stock"]
    assert stock.parent_span_id == client.span_id
    # A manual root span made outside any request parents rulec's spans too.
    warmup = _one(spans, "warmup", "INTERNAL")
    (warm_client,) = [s for s in spans if s.kind == "CLIENT" and s.trace_id == warmup.trace_id]
    assert warm_client.parent_span_id == warmup.span_id
    # No second SERVER or CLIENT span from otelhttp; no span of the app's own exports.
    assert not [s for s in spans if s.scope == OTELHTTP_SCOPE]
    assert not [s for s in spans if s.kind == "CLIENT" and s.name == "POST"]


def test_otelhttp_traces_when_rulec_does_not(tmp_path: Path, receiver: OtlpReceiver, app: App) -> None:
    if "own-otelhttp" not in str(app.binary.parent):
        pytest.skip("the app without otelhttp")
    config = tmp_path / "rulec.toml"
    config.write_text('[plugins]\ndisabled = ["nethttp"]\n')
    spans = _serve(app, receiver, {"RULEC_CONFIG_FILE": str(config)})
    server = [s for s in spans if s.kind == "SERVER" and s.scope == OTELHTTP_SCOPE]
    manual = _one(spans, "load-order", "INTERNAL")
    (parent,) = [s for s in server if s.span_id == manual.parent_span_id]
    assert parent.trace_id == manual.trace_id
    (client,) = [s for s in spans if s.kind == "CLIENT" and s.parent_span_id == manual.span_id]
    assert client.scope == OTELHTTP_SCOPE
    assert not [s for s in spans if s.scope == "rulec.dev/runtime" and s.kind in ("SERVER", "CLIENT")]
