"""Rule packs: .gorule files shared through a git repository, pinned by ref.

Layout under `<rulec cache>/packs/<sha256 of the URL>[:16]/`:
  repo.git/    a bare clone, fetched on every build (tags forced, so a moved
               tag is seen; pruned, so a deleted one is not used)
  refs.json    ref → the commit it last resolved to: the offline fallback
  <commit>/    that commit's tree, written once (temp folder, then rename)
               and never changed after, with read-only files
  lock         serialises the builds that use the same repository
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rulec.compiler.config import Pack
from rulec.ruledsl.diagnostics import Diagnostic

if TYPE_CHECKING:  # GitPython is imported only by builds that use a pack
    import git

_REFSPECS = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
_HEX = re.compile(r"[0-9a-f]{4,40}")


class PackError(Exception):
    """A rule pack cannot be had; the message names the pack."""


@dataclass(frozen=True)
class ResolvedPack:
    pack: Pack
    commit: str
    tree: Path  # the commit's materialised tree
    offline: bool  # the repository was unreachable: the ref's cached commit is used

    @property
    def rules(self) -> Path:
        return self.tree / self.pack.subdir

    def label(self) -> str:
        return f"{self.pack.label()} ({self.pack.git} @ {self.pack.ref}, commit {self.commit[:12]})"

    def notes(self) -> list[str]:
        line = f"rule pack {self.pack.name}: {self.pack.git} ref {self.pack.ref} → commit {self.commit[:12]}"
        if self.offline:
            return [line, f"rule pack {self.pack.name}: the repository is unreachable; using the cached commit of ref {self.pack.ref}"]
        return [line]


def packs_root(cache: Path) -> Path:
    return cache / "packs"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _clone(path: Path, url: str) -> git.Repo:
    import git

    if path.exists():
        return git.Repo(path)
    repo = git.Repo.init(path, bare=True)
    repo.create_remote("origin", url)
    return repo


def _fetch(repo: git.Repo) -> str | None:
    """None when fetched, else git's reason."""
    from git import GitCommandError

    # A URL that wants a password fails instead of waiting for one.
    no_prompt = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")}
    try:
        with repo.git.custom_environment(**no_prompt):
            repo.remotes.origin.fetch(_REFSPECS, prune=True)
    except GitCommandError as e:
        text = str(e.stderr).strip().removeprefix("stderr:").strip().strip("'")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return next((line for line in lines if line.startswith("fatal:")), lines[-1] if lines else str(e))
    return None


def _commit(repo: git.Repo, pack: Pack) -> str:
    """The commit `pack.ref` names: a tag, else a branch, else a commit id."""
    from gitdb.exc import BadName, BadObject

    candidates = [f"refs/tags/{pack.ref}", f"refs/remotes/origin/{pack.ref}"]
    if _HEX.fullmatch(pack.ref):
        candidates.append(pack.ref)
    for rev in candidates:
        try:
            return repo.commit(rev).hexsha
        except (BadName, BadObject, ValueError):
            continue
    raise PackError(f"{pack.label()}: ref {pack.ref} not found in {pack.git}")


def _materialise(repo: git.Repo, commit: str, dest: Path) -> None:
    if dest.is_dir():
        return
    tar = io.BytesIO()
    repo.archive(tar, commit, format="tar")
    tar.seek(0)
    tmp = Path(tempfile.mkdtemp(prefix=commit + ".", dir=dest.parent))
    with tarfile.open(fileobj=tar) as t:
        t.extractall(tmp, filter="data")
    for p in tmp.rglob("*"):
        if p.is_file():
            p.chmod(0o444)
    tmp.rename(dest)


def _recorded(home: Path) -> dict[str, str]:
    refs = home / "refs.json"
    return json.loads(refs.read_text()) if refs.exists() else {}


def _record(home: Path, ref: str, commit: str) -> None:
    refs = {**_recorded(home), ref: commit}
    tmp = home / "refs.json.tmp"
    tmp.write_text(json.dumps(refs, indent=1, sort_keys=True))
    tmp.replace(home / "refs.json")


def resolve(pack: Pack, cache: Path) -> ResolvedPack:
    """`pack` fetched and its ref's commit materialised, or the commit the ref
    last resolved to when the repository cannot be reached."""
    home = packs_root(cache) / hashlib.sha256(pack.git.encode()).hexdigest()[:16]
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home / "lock"):
        repo = _clone(home / "repo.git", pack.git)
        failure = _fetch(repo)
        if failure is None:
            commit = _commit(repo, pack)
            _materialise(repo, commit, home / commit)
            _record(home, pack.ref, commit)
        else:
            commit = _recorded(home).get(pack.ref, "")
            if not (commit and (home / commit).is_dir()):
                raise PackError(f"{pack.label()}: cannot fetch {pack.git} and nothing is cached: {failure}")
    resolved = ResolvedPack(pack, commit, home / commit, offline=failure is not None)
    if not resolved.rules.is_dir():
        raise PackError(f"{resolved.label()}: subdir {pack.subdir!r} is not a folder of the repository")
    return resolved


def explain(diagnostics: list[Diagnostic], packs: list[ResolvedPack]) -> list[str]:
    """The diagnostics as lines, each pack's headed by the pack it comes
    from: a path in rulec's cache says nothing about where to fix it."""
    lines: list[str] = []
    headed: set[str] = set()
    for d in diagnostics:
        owner = next((p for p in packs if Path(d.pos.file).is_relative_to(p.tree)), None)
        if owner is not None and owner.pack.name not in headed:
            headed.add(owner.pack.name)
            lines.append(f"{owner.label()}:")
        lines.append(f"  {d}" if owner else str(d))
    return lines
