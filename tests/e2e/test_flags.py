"""The go flags users build with, through rulec: cross-compiling, -trimpath,
-ldflags -X, -tags, -buildmode=pie, -o dir/, several main packages at once,
and two builds running at the same time."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from support.gomod import ROOT, copy_module, rulec, write_module

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

CMD = """package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
)

var version = "dev"

func main() {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	fmt.Println(NAME, version, flavour, resp.StatusCode, err)
}
"""

TAGGED = """//go:build {cond}

package main

const flavour = "{flavour}"
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    files: dict[str, str] = {}
    for name in ("alpha", "beta"):
        files[f"cmd/{name}/main.go"] = CMD.replace("NAME", f'"{name}"')
        files[f"cmd/{name}/pro.go"] = TAGGED.format(cond="pro", flavour="pro")
        files[f"cmd/{name}/plain.go"] = TAGGED.format(cond="!pro", flavour="plain")
    return write_module(tmp_path / "multi", "example.com/multi", files)


def test_release_flags_and_several_mains(module: Path, tmp_path: Path, receiver: OtlpReceiver) -> None:
    out = tmp_path / "out"
    out.mkdir()
    flags = ["-trimpath", "-ldflags", "-s -w -X main.version=1.2.3", "-tags", "pro", "-buildmode=pie"]
    proc = rulec("build", *flags, "-o", str(out) + "/", "./cmd/...", cwd=module)
    assert proc.returncode == 0, proc.stderr
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "multi"}
    for name in ("alpha", "beta"):
        run = subprocess.run([str(out / name)], env=env, capture_output=True, text=True, timeout=60)
        assert run.stdout.strip() == f"{name} 1.2.3 pro 404 <nil>", run.stderr
    spans = receiver.wait_for(lambda got: sum(s.service_name == "multi" and s.kind == "SERVER" for s in got) >= 2, timeout=20)
    servers = [s for s in spans if s.service_name == "multi" and s.kind == "SERVER"]
    assert len({s.trace_id for s in servers}) == 2
    # -trimpath: no path of this machine in the binary.
    assert str(module).encode() not in (out / "alpha").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("target", ["linux/arm64", "darwin/amd64", "windows/amd64"])
def test_cross_compiles(module: Path, tmp_path: Path, target: str) -> None:
    goos, goarch = target.split("/")
    out = tmp_path / "x"
    proc = rulec("build", "-o", str(out) + "/", "./cmd/...", cwd=module, env={"GOOS": goos, "GOARCH": goarch})
    assert proc.returncode == 0, proc.stderr
    assert "plugins: lifecycle, logcorrelation, nethttp" in proc.stderr
    suffix = ".exe" if goos == "windows" else ""
    assert (out / f"alpha{suffix}").exists() and (out / f"beta{suffix}").exists()


def test_builds_running_at_the_same_time(module: Path, tmp_path: Path) -> None:
    # Same module twice and another module, on an empty plan cache.
    shop = copy_module(ROOT / "examples" / "shop", tmp_path / "shop")
    cache = {"RULEC_CACHE": str(tmp_path / "rulec-cache")}
    jobs = [
        (module, ["./cmd/alpha"], tmp_path / "a1"),
        (module, ["./cmd/alpha"], tmp_path / "a2"),
        (shop, ["./backend"], tmp_path / "b"),
    ]
    with ThreadPoolExecutor(len(jobs)) as pool:
        procs = list(pool.map(lambda j: rulec("build", "-o", str(j[2]), *j[1], cwd=j[0], env=cache), jobs))
    for proc in procs:
        assert proc.returncode == 0, proc.stderr
    for binary in (tmp_path / "a1", tmp_path / "a2"):
        run = subprocess.run([str(binary)], env={"OTEL_TRACES_EXPORTER": "none"}, capture_output=True, text=True, timeout=60)
        assert run.stdout.strip() == "alpha dev plain 404 <nil>", run.stderr
