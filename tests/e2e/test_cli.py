"""`rulec plan`, `rulec rules`, version-gated rules and the build summary."""

from __future__ import annotations

import re
import shutil
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.gomod import ROOT, copy_module, rulec, write_module

from rulec import cli

pytestmark = pytest.mark.e2e


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return copy_module(ROOT / "examples" / "shop", tmp_path / "shop")


def test_plan_lists_advice_without_building(module: Path) -> None:
    proc = rulec("plan", "./frontend", cwd=module)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "net/http\n" in out
    assert "(serverHandler).ServeHTTP: nethttp.server" in out
    assert "(Transport).RoundTrip: nethttp.client" in out
    assert "example.com/shop/frontend\n    main: lifecycle.main_return" in out
    assert not list(module.rglob("frontend/frontend"))  # nothing built


def test_rule_outside_its_version_range_is_skipped_loudly(module: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    gorule = rules / "net_http.gorule"
    gorule.write_text(gorule.read_text().replace('target std version ">= 1.23"', 'target std version ">= 1.99"'))
    env = {"RULEC_RULES": str(rules)}

    plan = rulec("plan", "./frontend", cwd=module, env=env)
    assert plan.returncode == 0, plan.stderr
    assert "nethttp.server: SKIPPED for its version: Go 1." in plan.stdout
    assert "is outside >= 1.99" in plan.stdout

    build = rulec("build", "-o", str(tmp_path / "app"), "./frontend", cwd=module, env=env)
    assert build.returncode == 0, build.stderr
    assert "rulec: WARNING: rule nethttp.client SKIPPED: Go 1." in build.stderr
    assert "plugins: lifecycle, logcorrelation)" in build.stderr


def test_rules_lists_plugins_targets_and_ranges() -> None:
    proc = rulec("rules", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "nethttp  (go >= 1.23)" in proc.stdout
    assert "client         on call net/http.(*Transport).RoundTrip" in proc.stdout


def test_not_a_module_and_refused_flags(tmp_path: Path, module: Path) -> None:
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "main.go").write_text("package main\n\nfunc main() {}\n")
    proc = rulec("build", ".", cwd=tmp_path / "loose", env={"GO111MODULE": "on"})
    assert proc.returncode == 2 and "no go.mod found" in proc.stderr
    proc = rulec("build", "-toolexec=echo", ".", cwd=module)
    assert proc.returncode == 2 and "-toolexec cannot be combined" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_message_about_rulec_says_rulec_once(tmp_path: Path) -> None:
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    proc = rulec("build", ".", cwd=tmp_path, env={"GO111MODULE": "on"})
    assert proc.returncode == 2
    assert proc.stderr == "rulec builds Go modules: no go.mod found here (run `go mod init` first)\n"


def test_stdlib_rule_that_does_not_match_this_go_fails_loudly(module: Path, tmp_path: Path) -> None:
    # As when a Go release renames a function a rule names.
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    gorule = rules / "net_http.gorule"
    text = gorule.read_text()
    gorule.write_text(text.replace("on call http.(*Transport).RoundTrip", "on call http.(*Transport).RoundTripV2"))
    line = next(i for i, ln in enumerate(gorule.read_text().splitlines(), 1) if "RoundTripV2" in ln)
    expected = f"{gorule}:{line}:5: error[unknown-target]: net/http.(*Transport).RoundTripV2 does not exist"
    env = {"RULEC_RULES": str(rules)}

    check = rulec("check", cwd=module, env=env)
    assert check.returncode == 1 and expected in check.stdout
    build = rulec("build", "-o", str(tmp_path / "app"), "./frontend", cwd=module, env=env)
    assert build.returncode == 2 and expected in build.stderr
    assert "nothing was built" in build.stderr and not (tmp_path / "app").exists()


_STDLIB_ONLY = {
    "main.go": 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\n'
    'func main() {\n\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hi") })\n'
    '\t_ = http.ListenAndServe(":0", nil)\n}\n',
}


def _absent_line(out: str) -> str:
    return next(ln for ln in out.splitlines() if "their libraries are not in this build" in ln)


def test_plan_puts_advice_first_and_absent_libraries_in_one_line(tmp_path: Path) -> None:
    app = write_module(tmp_path / "app", "example.com/app", _STDLIB_ONLY)
    short = rulec("plan", ".", cwd=app)
    assert short.returncode == 0, short.stderr
    lines = short.stdout.splitlines()
    assert lines[0] == "plugins active: lifecycle, logcorrelation, nethttp"
    assert lines.index("net/http") < lines.index("runtime modules linked:") < lines.index("inactive rules:")
    core = lines[lines.index("runtime modules linked:") + 1]
    assert core == "    rulec.dev/runtime: the OTel SDK setup and OTLP/HTTP export; hooks of lifecycle, logcorrelation, nethttp"
    # One line, the last, for the rules whose library (gin, database/sql...) this build lacks.
    assert re.fullmatch(r"    \d+ rules of \d+ plugins: their libraries are not in this build; `--all` lists them", lines[-1])
    assert lines[-2] == "inactive rules:"
    assert "is not in the build" not in short.stdout

    full = rulec("plan", "--all", ".", cwd=app)
    assert full.returncode == 0, full.stderr
    assert full.stdout.split("\ninactive rules:\n")[0] == short.stdout.split("\ninactive rules:\n")[0]
    inactive = full.stdout.split("\ninactive rules:\n")[1].splitlines()
    assert any(ln.startswith("    gin.route: module github.com/gin-gonic/gin is not in the build  (") for ln in inactive)
    assert any(ln.startswith("    databasesql.open: package database/sql is not in the build  (") for ln in inactive)
    assert len(inactive) == int(_absent_line(short.stdout).split()[0])
    assert "their libraries are not in this build" not in full.stdout


def test_plan_keeps_the_reasons_of_rules_skipped_for_their_version(tmp_path: Path) -> None:
    app = write_module(tmp_path / "app", "example.com/app", _STDLIB_ONLY)
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    gorule = rules / "net_http.gorule"
    gorule.write_text(gorule.read_text().replace('target std version ">= 1.23"', 'target std version ">= 1.99"'))
    proc = rulec("plan", ".", cwd=app, env={"RULEC_RULES": str(rules)})
    assert proc.returncode == 0, proc.stderr
    inactive = proc.stdout.split("\ninactive rules:\n")[1].splitlines()
    assert [ln.split(":")[0] for ln in inactive[:-1]] == ["    nethttp.server", "    nethttp.route", "    nethttp.client"]
    assert all("SKIPPED for its version: Go 1." in ln for ln in inactive[:-1])
    assert inactive[-1] == _absent_line(proc.stdout)


def test_plan_says_why_the_runtime_links_grpc(tmp_path: Path) -> None:
    # gRPC linked for the exporter alone: no plugin advises it, and the plan says so.
    app = write_module(tmp_path / "app", "example.com/app", {**_STDLIB_ONLY, "rulec.toml": '[runtime]\nexporters = ["otlp-grpc"]\n'})
    proc = rulec("plan", ".", cwd=app)
    assert proc.returncode == 0, proc.stderr
    linked = proc.stdout.split("\nruntime modules linked:\n")[1].split("\n\n")[0].splitlines()
    assert linked[0].startswith("    rulec.dev/runtime: the OTel SDK setup and OTLP/HTTP export;")
    assert linked[1] == (
        "    rulec.dev/runtime/exporters/otlpgrpc: the otlp-grpc exporter: rulec.toml asks for it; "
        "it links google.golang.org/grpc, which the application does not use, so no plugin advises it"
    )


def _checkout_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_version_is_the_installed_packages() -> None:
    try:
        expected = metadata.version("rulec")
    except metadata.PackageNotFoundError:
        expected = _checkout_version()
    proc = rulec("--version", cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout == f"rulec {expected}\n", proc.stderr


def test_version_of_a_checkout_never_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    result = CliRunner().invoke(cli.main, ["--version"])
    assert result.exit_code == 0 and result.output == f"rulec {_checkout_version()}\n"
