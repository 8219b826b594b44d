"""Advised packages of modules in the module cache get a copy of their own.

The go command refuses -overlay entries beneath GOMODCACHE, and the overlay
is how an advised package gets its generated file (and the plan digest into
its cache key). So a module from the module cache whose packages get advice
is built from rulec's copy of that exact version instead: hard links to the
module cache's read-only files, made once per version under rulec's cache,
named to the go command by a `replace M VERSION => COPY` in rulec's copy of
go.mod (or go.work). Same files, same version, and the user's module files
and the module cache are left as they were.

Two traces of the copy would be left in the binary, and are taken out: file
paths (each compile of the module maps the copy back to its module cache
directory through -trimpath, as a plain build names them) and the build
info (`go version -m`), where the link gets the plain `dep` line back.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rulec.compiler.golist import Build, Module
from rulec.compiler.plan import ModuleCopies


def in_module_cache(build: Build, packages: Iterable[str], gomodcache: str) -> list[Module]:
    """The modules, read from the module cache, that hold any of `packages`."""
    cache = os.path.join(os.path.realpath(gomodcache), "")
    found: dict[str, Module] = {}
    for path in packages:
        m = build.packages[path].module
        if m is not None and m.version and not m.replaced_by_dir and os.path.realpath(m.dir).startswith(cache):
            found[m.path] = m
    return [found[p] for p in sorted(found)]


def copies_root(cache: Path) -> Path:
    """Where copies live. Their path is in the go command's cache key of
    every package built from them, the only input there that can say what
    toolexec does to those compiles; so it changes with that code, and no
    output of an older rulec is taken from Go's build cache."""
    h = hashlib.sha256()
    for name in ("compile.py", "toolexec.py", "shim/main.go"):
        h.update((Path(__file__).parent / name).read_bytes())
    return cache / "modules" / h.hexdigest()[:12]


def ensure_copy(module: Module, root: Path) -> Path:
    """rulec's copy of `module` under `root`, made if missing."""
    dest = root / (module.path.replace("/", "%2F") + "@" + module.version)
    if dest.exists():
        return dest
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=dest.name + ".", dir=root))
    try:
        _link_tree(Path(module.dir), tmp)
        if not (tmp / "go.mod").exists():  # a module from before go.mod: the go command made one up
            (tmp / "go.mod").write_text(f"module {module.path}\n")
        try:
            tmp.rename(dest)
        except OSError:  # another build made the same copy first
            pass
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _link_tree(src: Path, dst: Path) -> None:
    for dirpath, _, files in os.walk(src):
        target = dst / os.path.relpath(dirpath, src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                os.link(os.path.join(dirpath, name), target / name)
            except OSError:  # another file system, or links refused: copy
                shutil.copy2(os.path.join(dirpath, name), target / name)


def describe(copies: dict[Module, Path], gomodcache: str) -> ModuleCopies:
    """What the plan needs to know of `copies` (see ModuleCopies)."""
    return ModuleCopies({m.path: (str(d), m.dir) for m, d in copies.items()}, _modinfo_edits(copies, gomodcache))


def _modinfo_edits(copies: dict[Module, Path], gomodcache: str) -> list[tuple[str, str]]:
    """How the link's importcfg spells each copy in the build info (as a
    %q-quoted runtime/debug.BuildInfo), and the plain build's spelling."""

    def quoted(text: str) -> str:
        return text.replace("\t", "\\t").replace("\n", "\\n")

    edits = []
    for m, copy in sorted(copies.items(), key=lambda kv: kv[0].path):
        sum_ = _zip_hash(gomodcache, m)
        edits.append((quoted(f"dep\t{m.path}\t{m.version}\n=>\t{copy}\t(devel)\t\n"), quoted(f"dep\t{m.path}\t{m.version}\t{sum_}\n")))
    return edits


def _zip_hash(gomodcache: str, m: Module) -> str:
    # The go command keeps each module zip's h1: hash beside it, the sum a
    # plain build's info carries.
    escaped = "".join("!" + c.lower() if c.isupper() else c for c in m.path)
    try:
        return Path(gomodcache, "cache", "download", escaped, "@v", m.version + ".ziphash").read_text().strip()
    except OSError:
        return ""
