"""Rule packs from a real git repository (a local bare one, by file:// URL)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from rulec.compiler.config import Pack
from rulec.compiler.packs import PackError, explain, resolve
from rulec.ruledsl.load import parse_all

RULE = """plugin acme

import m "example.com/m"

target module "example.com/m"

rule work {{
    on call m.Work
    span "{name}"
}}
"""


def git(*args: str, cwd: Path) -> str:
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    return subprocess.run(["git", *ident, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


class Remote:
    """A bare repository and a work tree that pushes to it."""

    def __init__(self, tmp_path: Path):
        self.bare = tmp_path / "acme.git"
        self.work = tmp_path / "work"
        self.url = self.bare.as_uri()
        git("init", "-q", "--bare", "-b", "main", str(self.bare), cwd=tmp_path)
        git("init", "-q", "-b", "main", str(self.work), cwd=tmp_path)
        git("remote", "add", "origin", self.url, cwd=self.work)

    def commit(self, span: str, file: str = "rules/acme.gorule") -> str:
        (self.work / file).parent.mkdir(parents=True, exist_ok=True)
        (self.work / file).write_text(RULE.format(name=span))
        git("add", "-A", cwd=self.work)
        git("commit", "-qm", span, cwd=self.work)
        git("push", "-q", "origin", "main", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work)

    def tag(self, name: str) -> None:
        git("tag", "-f", "-a", name, "-m", name, cwd=self.work)
        git("push", "-q", "-f", "origin", f"refs/tags/{name}", cwd=self.work)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    return Remote(tmp_path)


def span_of(rules: Path) -> str:
    return (rules / "acme.gorule").read_text().split('span "')[1].split('"')[0]


def test_tag_then_moved_tag(remote: Remote, tmp_path: Path) -> None:
    first = remote.commit("one")
    remote.tag("v1.2.0")
    pack = Pack("acme", remote.url, "v1.2.0", "rules")
    got = resolve(pack, tmp_path / "cache")
    assert (got.commit, got.offline, span_of(got.rules)) == (first, False, "one")
    assert got.notes() == [f"rule pack acme: {remote.url} ref v1.2.0 → commit {first[:12]}"]

    second = remote.commit("two")
    remote.tag("v1.2.0")  # moved: a forced fetch of tags sees it
    moved = resolve(pack, tmp_path / "cache")
    assert (moved.commit, span_of(moved.rules)) == (second, "two")
    assert moved.tree != got.tree
    # The first commit's folder is untouched and read-only.
    assert span_of(got.rules) == "one"
    assert not (got.rules / "acme.gorule").stat().st_mode & 0o222


def test_branch_and_commit_refs(remote: Remote, tmp_path: Path) -> None:
    first = remote.commit("one")
    second = remote.commit("two")
    cache = tmp_path / "cache"
    assert resolve(Pack("acme", remote.url, "main"), cache).commit == second
    assert resolve(Pack("acme", remote.url, first), cache).commit == first
    abbreviated = resolve(Pack("acme", remote.url, first[:8], "rules"), cache)
    assert (abbreviated.commit, span_of(abbreviated.rules)) == (first, "one")
    third = remote.commit("three")
    assert resolve(Pack("acme", remote.url, "main"), cache).commit == third  # a branch follows its head


def test_missing_ref_and_missing_subdir(remote: Remote, tmp_path: Path) -> None:
    remote.commit("one")
    with pytest.raises(PackError, match=f"^rule pack 'acme': ref v9.9 not found in {remote.url}$"):
        resolve(Pack("acme", remote.url, "v9.9"), tmp_path / "cache")
    with pytest.raises(PackError, match=r"^rule pack 'acme' \(.* @ main, commit [0-9a-f]{12}\): subdir 'nope' is not a folder"):
        resolve(Pack("acme", remote.url, "main", "nope"), tmp_path / "cache")


def test_unreachable_with_nothing_cached(tmp_path: Path) -> None:
    url = (tmp_path / "nowhere.git").as_uri()
    with pytest.raises(PackError, match=f"^rule pack 'acme': cannot fetch {url} and nothing is cached: "):
        resolve(Pack("acme", url, "v1"), tmp_path / "cache")


def test_offline_uses_the_cached_commit(remote: Remote, tmp_path: Path) -> None:
    first = remote.commit("one")
    remote.tag("v1")
    pack = Pack("acme", remote.url, "v1", "rules")
    resolve(pack, tmp_path / "cache")
    shutil.rmtree(remote.bare)
    offline = resolve(pack, tmp_path / "cache")
    assert (offline.commit, offline.offline, span_of(offline.rules)) == (first, True, "one")
    assert "unreachable; using the cached commit of ref v1" in offline.notes()[1]
    with pytest.raises(PackError, match="nothing is cached"):  # a ref never resolved online
        resolve(Pack("acme", remote.url, "v2", "rules"), tmp_path / "cache")


def test_diagnostics_name_the_pack(remote: Remote, tmp_path: Path) -> None:
    (remote.work / "rules").mkdir()
    (remote.work / "rules" / "broken.gorule").write_text("plugin broken\n\ntarget std\n\nrule r {\n    on call\n}\n")
    commit = remote.commit("one")
    got = resolve(Pack("acme", remote.url, "main", "rules"), tmp_path / "cache")
    _, diagnostics = parse_all([got.rules])
    lines = explain(diagnostics, [got])
    assert lines[0] == f"rule pack 'acme' ({remote.url} @ main, commit {commit[:12]}):"
    assert lines[1].startswith(f"  {got.rules / 'broken.gorule'}:") and "error[syntax]" in lines[1]
