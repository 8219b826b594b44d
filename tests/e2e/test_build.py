"""`rulec build` as a drop-in for `go build`: the user's tree untouched, Go's
own errors, Go's build cache kept, rule changes rebuilding only their targets."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from support.gomod import ROOT, RULEC, copy_module, go, rulec, snapshot, write_module

pytestmark = pytest.mark.e2e


def _compiled(stderr: str) -> set[str]:
    """Packages the go command compiled, from its -x output."""
    return {m.group(1) for m in re.finditer(r"/compile -o \S+ .*?-p (\S+) ", stderr)}


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return copy_module(ROOT / "examples" / "shop", tmp_path / "shop")


def test_tree_untouched_by_a_successful_build(module: Path, tmp_path: Path) -> None:
    before = snapshot(module)
    proc = rulec("build", "-o", str(tmp_path / "out") + "/", "./...", cwd=module)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "frontend").exists() and (tmp_path / "out" / "backend").exists()
    assert snapshot(module) == before


def test_broken_rule_fails_before_building_and_touches_nothing(module: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.gorule"
    bad.write_text(
        'plugin bad\nimport http "net/http"\ntarget std version ">= 1.22"\nrule r {\n  on call http.Get\n  before http.Nope\n}\n'
    )
    before = snapshot(module)
    proc = rulec("build", "--rules", str(bad), "-o", str(tmp_path / "app"), "./frontend", cwd=module)
    assert proc.returncode == 2
    assert f"{bad}:6:10: error[unknown-hook]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "app").exists()
    assert snapshot(module) == before


def test_go_type_error_is_reported_as_go_reports_it(module: Path, tmp_path: Path) -> None:
    main = module / "frontend" / "main.go"
    text = main.read_text()
    main.write_text(text.replace('\tid := r.PathValue("id")', '\tvar id int = r.PathValue("id")'))
    before = snapshot(module)
    ours = rulec("build", "-o", str(tmp_path / "a"), "./frontend", cwd=module)
    theirs = go("build", "-o", str(tmp_path / "b"), "./frontend", cwd=module)
    assert ours.returncode == theirs.returncode == 1
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if 'r.PathValue("id")' in ln)
    go_errors = [ln for ln in theirs.stderr.splitlines() if ln.startswith("frontend/main.go:")]
    assert go_errors and all(f"frontend/main.go:{line}:" in ln or "frontend/main.go" in ln for ln in go_errors)
    for ln in go_errors:
        assert ln in ours.stderr
    assert snapshot(module) == before


def test_killed_build_leaves_no_trace(module: Path, tmp_path: Path) -> None:
    before = snapshot(module)
    # A fresh build cache makes the build long enough to kill midway.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOCACHE": str(tmp_path / "gocache")}
    proc = subprocess.Popen([*RULEC, "build", "-o", str(tmp_path / "app"), "./frontend"], cwd=module, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    time.sleep(4)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(module) == before
    shutil.rmtree(tmp_path / "gocache", ignore_errors=True)


def test_unchanged_rebuild_compiles_nothing(module: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "app")
    first = rulec("build", "-o", out, "./frontend", cwd=module)
    assert first.returncode == 0, first.stderr
    again = rulec("build", "-x", "-o", out, "./frontend", cwd=module)
    assert again.returncode == 0, again.stderr
    assert _compiled(again.stderr) == set()
    assert "/link " not in again.stderr


def test_edited_rule_recompiles_only_its_targets(module: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    env = {"RULEC_RULES": str(rules)}
    out = str(tmp_path / "app")
    assert rulec("build", "-o", out, "./frontend", cwd=module, env=env).returncode == 0
    net_http = rules / "net_http.gorule"
    # A rule named uniquely per run: Go's shared build cache cannot hold its
    # result from an earlier run, so net/http must really be recompiled.
    nonce = uuid.uuid4().hex[:8]
    net_http.write_text(
        net_http.read_text()
        + f'\nrule client_{nonce} {{\n    on call http.(*Transport).RoundTrip\n    span "roundtrip {nonce}"\n}}\n'
    )
    proc = rulec("build", "-x", "-o", out, "./frontend", cwd=module, env=env)
    assert proc.returncode == 0, proc.stderr
    compiled = _compiled(proc.stderr)
    assert "net/http" in compiled
    # Packages net/http does not reach are not rebuilt: not the lifecycle
    # targets, nor anything below net/http.
    assert compiled.isdisjoint({"os", "os/signal", "fmt", "strings", "encoding/json", "net", "crypto/tls"})


def _plan_key(stderr: str) -> str:
    return re.search(r"/plans/([0-9a-f]+)/go\.mod", stderr).group(1)


def test_plan_follows_a_locally_replaced_module(tmp_path: Path) -> None:
    lib, app = tmp_path / "lib", tmp_path / "app"
    lib.mkdir()
    app.mkdir()
    (lib / "go.mod").write_text("module example.com/lib\n\ngo 1.23\n")
    (lib / "lib.go").write_text('package lib\n\nfunc Name() string { return "lib" }\n')
    (app / "go.mod").write_text(
        "module example.com/app\n\ngo 1.23\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n"
    )
    (app / "main.go").write_text('package main\n\nimport "example.com/lib"\n\nfunc main() { println(lib.Name()) }\n')
    out = str(tmp_path / "bin")
    first = rulec("build", "-v", "-o", out, ".", cwd=app)
    again = rulec("build", "-v", "-o", out, ".", cwd=app)
    assert first.returncode == again.returncode == 0, first.stderr
    assert _plan_key(first.stderr) == _plan_key(again.stderr)
    # The replaced module's imports can change what the build contains: a new plan.
    (lib / "lib.go").write_text('package lib\n\nimport "os"\n\nfunc Name() string { return os.Args[0] }\n')
    edited = rulec("build", "-v", "-o", out, ".", cwd=app)
    assert edited.returncode == 0, edited.stderr
    assert _plan_key(edited.stderr) != _plan_key(first.stderr)


def _go_logging(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose `go` is the real one behind a script that logs
    each invocation's subcommand to the returned file."""
    bin_dir, log = tmp_path / "gobin", tmp_path / "go.log"
    bin_dir.mkdir()
    real = shutil.which("go")
    (bin_dir / "go").write_text(f'#!/bin/sh\necho "$1" >>{log}\nexec {real} "$@"\n')
    (bin_dir / "go").chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}, log


def test_body_edit_replans_without_listing_the_build(module: Path, tmp_path: Path) -> None:
    env, log = _go_logging(tmp_path)
    out = str(tmp_path / "app")
    first = rulec("build", "-v", "-o", out, "./frontend", cwd=module, env=env)
    assert first.returncode == 0, first.stderr
    assert "list" in log.read_text().split()
    main = module / "frontend" / "main.go"
    # A new function: the files' imports are as they were, so the package
    # graph is too; the rules are resolved again, and no go list runs.
    main.write_text(main.read_text() + "\nfunc edited() int { return 1 }\n")
    log.unlink()
    edited = rulec("build", "-v", "-o", out, "./frontend", cwd=module, env=env)
    assert edited.returncode == 0, edited.stderr
    assert _plan_key(edited.stderr) != _plan_key(first.stderr)
    assert set(log.read_text().split()) == {"env", "build"}
    advised = [ln for ln in first.stderr.splitlines() if ln.startswith(("rulec: instrumented", "rulec:   "))]
    assert any("main: lifecycle.main_return" in ln for ln in advised)
    assert [ln for ln in edited.stderr.splitlines() if ln.startswith(("rulec: instrumented", "rulec:   "))] == advised
    # A new import changes the graph: listed again.
    main.write_text(main.read_text().replace("package main\n", 'package main\n\nimport _ "expvar"\n', 1))
    log.unlink()
    imported = rulec("build", "-v", "-o", out, "./frontend", cwd=module, env=env)
    assert imported.returncode == 0, imported.stderr
    assert "list" in log.read_text().split()


def test_module_only_the_runtime_imports_selected_newer_than_it_asks(tmp_path: Path) -> None:
    # As in Gitea: go4.org's go.mod asks for httpsnoop v1.0.4, but no package
    # the app imports does, so the app's tidy go.mod does not list it; the
    # runtime imports it and asks for v1.0.3. Graph pruning then wants it
    # listed in the go.mod copy, or the build stops: "updates to go.mod needed".
    main = 'package main\n\nimport (\n\t"net/http"\n\n\t"go4.org/strutil"\n)\n\nfunc main() { println(strutil.IsPlausibleJSON(http.MethodGet)) }\n'  # noqa: E501
    app = write_module(tmp_path / "app", "example.com/app", {"main.go": main})
    assert go("get", "go4.org@v0.0.0-20260112195520-a5071408f32f", cwd=app).returncode == 0
    assert go("mod", "tidy", cwd=app).returncode == 0
    assert "httpsnoop" not in (app / "go.mod").read_text()
    proc = rulec("build", "-o", str(tmp_path / "bin"), ".", cwd=app)
    assert proc.returncode == 0, proc.stderr
    assert "httpsnoop" not in (app / "go.mod").read_text()
