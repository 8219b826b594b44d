"""Every Go a user builds with: toolchains the go command fetches into the
module cache (GOTOOLCHAIN, a go.mod `go` line), Go's build cache shared with
plain builds of the same toolchain, the user's own -gcflags, and a Go
release newer than rulec is tested with (a copy of this machine's Go that
calls itself 1.28 and whose runtime and log package moved what rulec edits)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
from support.gomod import ROOT, copy_module, rulec, write_module
from support.procs import free_port, get, service
from support.shop import shop_running

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

# A patch release of each other Go rulec is tested with: the module proxy
# serves them as golang.org/toolchain modules, as it does to users.
FETCHED = ["go1.25.14", "go1.27.3"]


def _go(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["go", *args], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, timeout=900)


def _linked_checkout(receiver: OtlpReceiver, frontend: Path, backend: Path) -> list[Span]:
    order = str(secrets.randbelow(10**9))  # the receiver is the session's: a path no other test asks for
    with shop_running(frontend, backend, {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint}) as (url, _, _):
        status, body, _ = get(f"{url}/checkout/{order}")
        assert status == 200 and b"checkout complete" in body

        def trace(got: list[Span]) -> list[Span]:
            roots = [s for s in got if s.kind == "SERVER" and s.attributes.get("url.path") == f"/checkout/{order}"]
            return [s for s in got if roots and s.trace_id == roots[0].trace_id]

        spans = trace(receiver.wait_for(lambda got: len(trace(got)) >= 3, timeout=30))
    (server,) = [s for s in spans if s.service_name == "frontend" and s.kind == "SERVER"]
    (client,) = [s for s in spans if s.service_name == "frontend" and s.kind == "CLIENT"]
    (backend_span,) = [s for s in spans if s.service_name == "backend" and s.kind == "SERVER"]
    assert server.name == "GET /checkout/{id}" and backend_span.name == "GET /orders/{id}"
    assert client.parent_span_id == server.span_id and backend_span.parent_span_id == client.span_id
    return spans


def _has_runtime(binary: Path) -> bool:
    return b"rulec.dev/runtime" in binary.read_bytes()


@pytest.mark.parametrize("toolchain", FETCHED)
def test_the_shop_with_a_fetched_toolchain(toolchain: str, receiver: OtlpReceiver, tmp_path: Path) -> None:
    env = {"GOTOOLCHAIN": toolchain}
    module = copy_module(ROOT / "examples" / "shop", tmp_path / "shop")
    goroot = _go("env", "GOROOT", cwd=module, env=env).stdout.strip()
    gomodcache = _go("env", "GOMODCACHE", cwd=module, env=env).stdout.strip()
    assert goroot.startswith(gomodcache + os.sep), (goroot, gomodcache)  # the go command refuses overlays there

    out = tmp_path / "bin"
    for name in ("frontend", "backend"):
        proc = rulec("build", "-o", str(out / name), f"./{name}", cwd=module, env=env)
        assert proc.returncode == 0, proc.stderr
        assert "plugins: lifecycle, logcorrelation, nethttp" in proc.stderr and "goroutine context: runtime.g" in proc.stderr
    version = _go("version", str(out / "backend"), cwd=module, env=env).stdout
    assert version.split()[-1] == toolchain, version
    _linked_checkout(receiver, out / "frontend", out / "backend")

    # Go's build cache is shared with plain builds of the same toolchain, and
    # each gets its own standard library: instrumented, or not.
    plain = _go("build", "-o", str(tmp_path / "plain") + "/", "./frontend", "./backend", cwd=module, env=env)
    assert plain.returncode == 0, plain.stderr
    assert not _has_runtime(tmp_path / "plain" / "backend") and _has_runtime(out / "backend")
    again = rulec("build", "-o", str(tmp_path / "again"), "./backend", cwd=module, env=env)
    assert again.returncode == 0 and _has_runtime(tmp_path / "again"), again.stderr


def test_a_go_line_newer_than_the_machines_go_fetches_its_toolchain(receiver: OtlpReceiver, tmp_path: Path) -> None:
    """The go command itself fetches what go.mod asks for (GOTOOLCHAIN=auto,
    Go's default): the machine has Go 1.26, the module says 1.27.0."""
    module = copy_module(ROOT / "examples" / "shop", tmp_path / "shop")
    gomod = module / "go.mod"
    gomod.write_text(gomod.read_text().replace("\ngo 1.23\n", "\ngo 1.27.0\n"))
    env = {"GOTOOLCHAIN": "auto"}
    for name in ("frontend", "backend"):
        proc = rulec("build", "-o", str(tmp_path / name), f"./{name}", cwd=module, env=env)
        assert proc.returncode == 0, proc.stderr
    assert _go("version", str(tmp_path / "backend"), cwd=tmp_path, env=env).stdout.split()[-1].startswith("go1.27.")
    _linked_checkout(receiver, tmp_path / "frontend", tmp_path / "backend")


def test_the_users_gcflags_still_apply_to_instrumented_standard_packages(receiver: OtlpReceiver, tmp_path: Path) -> None:
    module = copy_module(ROOT / "examples" / "shop", tmp_path / "shop")
    # -D (the directory of local imports, none here) with a new value each run:
    # the compiles below are new to Go's build cache, so -x shows them.
    flags = f"-gcflags=log/...=-N -l -D /nonce{secrets.token_hex(4)}"
    proc = rulec("build", "-x", "-o", str(tmp_path / "backend"), flags, "./backend", cwd=module, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]

    def compile_line(package: str) -> str:
        # -x prints each compile as the go command runs it (through toolexec, before rulec's part).
        lines = [ln for ln in proc.stderr.splitlines() if "/compile " in ln and f" -p {package} " in ln]
        assert len(lines) == 1, lines
        return lines[0]

    # advised, and in log/...: the user's flags, then rulec's mark
    assert f"{flags.split('=', 2)[2]} -rulec.plan=" in compile_line("log")
    assert "-rulec.plan=" not in compile_line("log/internal")  # in log/..., not advised
    _served_order(receiver, tmp_path / "backend", "gcflags")

    # The build info records the user's -gcflags, as a plain build's does.
    plain = _go("build", "-o", str(tmp_path / "plain"), flags, "./backend", cwd=module, env={})
    assert plain.returncode == 0, plain.stderr

    def recorded(binary: Path) -> list[str]:
        info = _go("version", "-m", str(binary), cwd=tmp_path, env={}).stdout
        return [ln.strip() for ln in info.splitlines() if ln.strip().startswith("build\t-gcflags")]

    assert recorded(tmp_path / "backend") == recorded(tmp_path / "plain") == [f'build\t-gcflags="{flags.split("=", 1)[1]}"']
    again = rulec("build", "-o", str(tmp_path / "unflagged"), "./backend", cwd=module)
    assert again.returncode == 0 and recorded(tmp_path / "unflagged") == [], again.stderr


def _served_order(receiver: OtlpReceiver, backend: Path, service_name: str) -> Span:
    """The backend run against the receiver: the SERVER span of one order."""
    port = free_port()
    env = {
        "BACKEND_ADDR": f"127.0.0.1:{port}",
        "OTEL_SERVICE_NAME": service_name,
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "50",
    }
    with service(backend, env, f"http://127.0.0.1:{port}/healthz"):
        status, _, _ = get(f"http://127.0.0.1:{port}/orders/3")
        assert status == 200

        def mine(got: list[Span]) -> list[Span]:
            return [s for s in got if s.service_name == service_name and s.attributes.get("url.path") == "/orders/3"]

        (span,) = mine(receiver.wait_for(lambda got: bool(mine(got)), timeout=20))
    assert span.kind == "SERVER" and span.name == "GET /orders/{id}"
    return span


# What an untested Go release may move: newproc1, which the goroutine-context
# edit filters, and log.(*Logger).output, which logcorrelation's `log` rule advises.
_MOVED = {
    "src/runtime/proc.go": [("newproc1(", "newgoroutine(")],
    "src/runtime/coro.go": [("newproc1(", "newgoroutine(")],
    "src/runtime/debugcall.go": [("newproc1(", "newgoroutine(")],
    "src/runtime/synctest.go": [("newproc1(", "newgoroutine(")],
    "src/log/log.go": [(".output(", ".emit("), (") output(", ") emit(")],
}
_FAKE_GO = r"""#!/usr/bin/env bash
# This machine's Go, copied, answering `go env` as a Go 1.28 release candidate.
set -o pipefail
if [ "$1" = env ]; then
  "{goroot}/bin/go" "$@" | sed -E 's/(^|")go1\.[0-9.]+($|")/\1go1.28rc1\2/'
  exit
fi
exec "{goroot}/bin/go" "$@"
"""


@pytest.fixture(scope="module")
def untested_go(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """PATH and GOROOT settings that run the fake Go 1.28."""
    real = Path(subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip())
    base = tmp_path_factory.mktemp("go128")
    goroot = base / "goroot"
    shutil.copytree(real, goroot, symlinks=True, copy_function=os.link if _same_device(real, base) else shutil.copy2)
    for rel, edits in _MOVED.items():
        f = goroot / rel
        if not f.exists():
            continue
        text = f.read_text()
        for old, new in edits:
            text = text.replace(old, new)
        f.unlink()  # a hard link to the real GOROOT's file: replace it, never write through it
        f.write_text(text)
    bin_dir = base / "bin"
    bin_dir.mkdir()
    (bin_dir / "go").write_text(_FAKE_GO.format(goroot=goroot))
    (bin_dir / "go").chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GOTOOLCHAIN": "local", "GOROOT": ""}


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def test_a_newer_untested_go_builds_what_fits_and_says_what_it_left_out(
    untested_go: dict[str, str], receiver: OtlpReceiver, tmp_path: Path
) -> None:
    assert _go("env", "GOVERSION", cwd=tmp_path, env=untested_go).stdout.strip() == "go1.28rc1"
    module = copy_module(ROOT / "examples" / "shop", tmp_path / "shop")
    proc = rulec("build", "-o", str(tmp_path / "backend"), "./backend", cwd=module, env=untested_go)
    assert proc.returncode == 0, proc.stderr
    warnings = [ln for ln in proc.stderr.splitlines() if "WARNING" in ln]
    assert warnings[0].startswith("rulec: WARNING: Go 1.28.0-rc1 is newer than rulec is tested with (1.25 to 1.27)"), warnings
    assert "rulec: WARNING: goroutine context left out (runtime.newproc1 is not declared in proc.go)" in proc.stderr
    (log_rule,) = [ln for ln in warnings if "rule logcorrelation.log SKIPPED" in ln]
    assert "does not fit Go 1.28.0-rc1's source: log.(*Logger).output does not exist in" in log_rule
    assert len(warnings) == 3, warnings  # nothing else was left out
    assert "plugins: lifecycle, nethttp" in proc.stderr  # net/http's rules still fit (the shop links no log/slog)
    span = _served_order(receiver, tmp_path / "backend", "untested-go")
    assert span.attributes["http.route"] == "/orders/{id}"


def test_a_go_older_than_tested_stops_with_the_reason(tmp_path: Path) -> None:
    write_module(tmp_path / "m", "example.com/old", {"main.go": "package main\n\nfunc main() {}\n"})
    proc = rulec("build", ".", cwd=tmp_path / "m", env={"GOTOOLCHAIN": "go1.24.9"})
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("rulec supports Go 1.25 to 1.27 (and newer, untested); this is go1.24.9.")
