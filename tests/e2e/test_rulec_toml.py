"""rulec.toml end to end: rule dirs, rule packs from git, disabled plugins,
excluded packages and default flags, each proved by a real build and the
spans the program sends; and bad files or broken packs stop the build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support.gomod import rulec, write_module
from support.telemetry import Run

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

FILES = {
    "main.go": """package main

import (
	"fmt"

	"example.com/cfgapp/legacy"
	"example.com/cfgapp/work"
)

func main() { fmt.Println(work.Do(2), legacy.Old(3), mode) }
""",
    "mode_plain.go": '//go:build !foo\n\npackage main\n\nconst mode = "plain"\n',
    "mode_foo.go": '//go:build foo\n\npackage main\n\nconst mode = "foo"\n',
    "work/work.go": "package work\n\nfunc Do(n int) int { return n * 2 }\n",
    "legacy/legacy.go": "package legacy\n\nfunc Old(n int) int { return n + 1 }\n",
}


def rule(plugin: str, package: str, func: str, span: str) -> str:
    return f"""plugin {plugin}

import x "example.com/cfgapp/{package}"

target module "example.com/cfgapp"

rule r {{
    on call x.{func}
    span "{span}"
}}
"""


RULES = {"rules/work.gorule": rule("work", "work", "Do", "work.do"), "rules/legacy.gorule": rule("legacy", "legacy", "Old", "legacy.old")}


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return write_module(tmp_path / "cfgapp", "example.com/cfgapp", {**FILES, **RULES})


def build(app: Path) -> subprocess.CompletedProcess[str]:
    proc = rulec("build", "-o", str(app / "bin"), ".", cwd=app)
    assert proc.returncode == 0, proc.stderr
    return proc


def plugins(stderr: str) -> set[str]:
    """The plugins the build summary names as applied."""
    return set(stderr.split("(plugins: ", 1)[1].split(")", 1)[0].split(", "))


def run(app: Path, receiver: OtlpReceiver, expect: set[str]) -> tuple[str, set[str]]:
    """The program's output and the names of the spans it sent, once those
    in `expect` have arrived (spans are flushed when main returns)."""
    r = Run(receiver)
    out = subprocess.run([str(app / "bin")], env=r.env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    spans = r.spans(receiver.wait_for(lambda got: expect <= {s.name for s in r.spans(got)}, timeout=20))
    return out.stdout.strip(), {s.name for s in spans}


def test_rule_dirs_and_flags(app: Path, receiver: OtlpReceiver) -> None:
    (app / "rulec.toml").write_text('[rules]\ndirs = ["rules"]\n\n[build]\nflags = ["-tags=foo"]\n')
    proc = build(app)
    assert f"rulec: note: config: {app / 'rulec.toml'}" in proc.stderr
    assert {"legacy", "work"} <= plugins(proc.stderr)
    out, spans = run(app, receiver, {"work.do", "legacy.old"})
    assert out == "4 4 foo"  # -tags=foo reached the go command: mode_foo.go was built
    assert spans == {"work.do", "legacy.old"}


def test_disable_drops_a_plugin(app: Path, receiver: OtlpReceiver) -> None:
    (app / "rulec.toml").write_text('[rules]\ndirs = ["rules"]\ndisable = ["work"]\n')
    proc = build(app)
    assert "legacy" in plugins(proc.stderr) and "work" not in plugins(proc.stderr)
    assert "rulec: note: plugins disabled by the config: work" in proc.stderr
    assert run(app, receiver, {"legacy.old"}) == ("4 4 plain", {"legacy.old"})


def test_exclude_keeps_a_package_plain(app: Path, receiver: OtlpReceiver) -> None:
    (app / "rulec.toml").write_text('[rules]\ndirs = ["rules"]\n\n[build]\nexclude = ["example.com/cfgapp/legacy/..."]\n')
    plan = rulec("plan", ".", cwd=app)
    assert plan.returncode == 0, plan.stderr
    assert "example.com/cfgapp/work\n" in plan.stdout and "example.com/cfgapp/legacy" not in plan.stdout
    build(app)
    assert run(app, receiver, {"work.do"}) == ("4 4 plain", {"work.do"})


def test_bad_config_stops_the_build(app: Path) -> None:
    (app / "rulec.toml").write_text('[build]\nflags = "-trimpath"\n')
    proc = rulec("build", "-o", str(app / "bin"), ".", cwd=app)
    assert proc.returncode == 2
    assert f"{app / 'rulec.toml'}: key 'build.flags': expected a list of strings, got '-trimpath'" in proc.stderr
    assert "Traceback" not in proc.stderr and not (app / "bin").exists()


def pack_repo(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path, str]:
    """A bare repository, the work tree that pushes to it, and the commit of
    `files`, tagged v1."""
    bare, work = tmp_path / "acme.git", tmp_path / "acme"
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    git("init", "-q", "-b", "main", str(work), cwd=tmp_path)
    git("remote", "add", "origin", bare.as_uri(), cwd=work)
    return bare, work, commit_and_tag(work, files)


def commit_and_tag(work: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    git("add", "-A", cwd=work)
    git("commit", "-qm", "rules", cwd=work)
    git("tag", "-f", "v1", cwd=work)
    git("push", "-qf", "origin", "main", "refs/tags/v1", cwd=work)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True, check=True).stdout.strip()


def pack_config(bare: Path) -> str:
    return f'[[packs]]\nname = "acme"\ngit = "{bare.as_uri()}"\nref = "v1"\nsubdir = "rules"\n'


def test_rules_from_a_pack_follow_its_tag_and_work_offline(tmp_path: Path, receiver: OtlpReceiver) -> None:
    app = write_module(tmp_path / "cfgapp", "example.com/cfgapp", FILES)
    bare, work, first = pack_repo(tmp_path, {"rules/work.gorule": rule("acme", "work", "Do", "pack.one")})
    (app / "rulec.toml").write_text(pack_config(bare))
    proc = build(app)
    assert f"rulec: note: rule pack acme: {bare.as_uri()} ref v1 → commit {first[:12]}" in proc.stderr
    assert run(app, receiver, {"pack.one"})[1] == {"pack.one"}
    plan = rulec("plan", ".", cwd=app)
    assert f"note: rule pack acme: {bare.as_uri()} ref v1 → commit {first[:12]}" in plan.stdout

    second = commit_and_tag(work, {"rules/work.gorule": rule("acme", "work", "Do", "pack.two")})  # the tag moves
    proc = build(app)
    assert f"ref v1 → commit {second[:12]}" in proc.stderr
    assert run(app, receiver, {"pack.two"})[1] == {"pack.two"}

    shutil.rmtree(bare)
    (app / "bin").unlink()
    proc = build(app)
    assert f"ref v1 → commit {second[:12]}" in proc.stderr
    assert "the repository is unreachable; using the cached commit of ref v1" in proc.stderr
    assert run(app, receiver, {"pack.two"})[1] == {"pack.two"}


def test_a_broken_pack_is_named(tmp_path: Path) -> None:
    app = write_module(tmp_path / "cfgapp", "example.com/cfgapp", FILES)
    broken = rule("acme", "work", "Do", "x").replace("on call x.Do", "on call")
    bare, _, commit = pack_repo(tmp_path, {"rules/work.gorule": broken})
    (app / "rulec.toml").write_text(pack_config(bare))
    proc = rulec("build", "-o", str(app / "bin"), ".", cwd=app)
    assert proc.returncode == 2
    assert f"rule pack 'acme' ({bare.as_uri()} @ v1, commit {commit[:12]}):\n  " in proc.stderr
    assert "work.gorule:" in proc.stderr and "error[syntax]" in proc.stderr
    assert not (app / "bin").exists()
