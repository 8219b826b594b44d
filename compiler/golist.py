"""The build's packages and modules, from the go command itself.

`go list -deps -json` with the user's own build flags is the only source of
truth for what a build compiles: which packages, from which files, in which
module versions. It runs once per plan (the planner caches its result).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field

from rulec.compiler.gonames import GUESSED, ImportNames

_FIELDS = "ImportPath,Name,Dir,GoFiles,CgoFiles,TestGoFiles,XTestGoFiles,Imports,Standard,DepOnly,ForTest,Module,Error"


class GoListError(Exception):
    """`go list` failed; the message is the go command's own."""


@dataclass(frozen=True)
class Module:
    path: str
    version: str  # "" for the main module and local replacements
    replaced_by_dir: bool = False
    dir: str = ""  # where the go command reads it from


@dataclass(frozen=True)
class Package:
    import_path: str  # as the go command names it (test variants keep " [p.test]")
    name: str
    dir: str
    go_files: tuple[str, ...]
    imports: tuple[str, ...]
    standard: bool
    root: bool  # named on the command line (or its test), not only a dependency
    module: Module | None
    # The package clause of a _test.go file for this directory, when it has
    # tests: the package's own name, or NAME_test when it has only external tests.
    test_package: str | None = None

    @property
    def path(self) -> str:
        """The import path without a test-variant suffix."""
        return self.import_path.split(" ", 1)[0]


@dataclass
class Build:
    go_version: str  # "1.26.8"
    packages: dict[str, Package] = field(default_factory=dict)  # by plain import path
    # Package errors (missing imports...): the go command reports them itself
    # when the build runs, in its own words, so they are kept, not raised.
    errors: list[str] = field(default_factory=list)
    # What files call the packages they import unaliased (a plain default: a
    # listing pickled before it had names unpickles with the guess).
    names: ImportNames = GUESSED

    def modules(self) -> dict[str, Module]:
        return {p.module.path: p.module for p in self.packages.values() if p.module is not None}

    def roots(self) -> list[Package]:
        return [p for p in self.packages.values() if p.root]


def _module(raw: dict | None) -> Module | None:
    if not raw:
        return None
    rep = raw.get("Replace")
    if rep:
        return Module(raw["Path"], rep.get("Version", ""), replaced_by_dir=not rep.get("Version"), dir=rep.get("Dir", ""))
    return Module(raw["Path"], raw.get("Version", ""), dir=raw.get("Dir", ""))


def go_list(args: list[str], go_version: str, env: dict[str, str], cwd: str) -> Build:
    """Run `go list -deps -json ARGS` (ARGS: build flags then packages)."""
    cmd = ["go", "list", "-e", "-deps", f"-json={_FIELDS}", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip() or f"go list exited with status {proc.returncode}")
    build = Build(go_version)
    decoder = json.JSONDecoder()
    text, i = proc.stdout, 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        raw, i = decoder.raw_decode(text, i)
        if raw.get("Error") and not raw.get("DepOnly"):
            build.errors.append(raw["Error"].get("Err", "").strip())
        pkg = Package(
            import_path=raw["ImportPath"],
            name=raw.get("Name", ""),
            dir=raw.get("Dir", ""),
            go_files=tuple(raw.get("GoFiles", ())) + tuple(raw.get("CgoFiles", ())),
            imports=tuple(raw.get("Imports", ())),
            standard=raw.get("Standard", False),
            root=not raw.get("DepOnly", False),
            module=_module(raw.get("Module")),
            test_package=(
                raw.get("Name") if raw.get("TestGoFiles") else raw.get("Name", "") + "_test" if raw.get("XTestGoFiles") else None
            ),
        )
        # With -test, the go command also lists each package's test variants
        # ("p [p.test]"), external test packages ("p_test [p.test]") and the
        # generated test main ("p.test"); they compile the plain package's
        # files, the test files and generated code, so the plan keys on the
        # plain entry alone.
        if pkg.import_path != pkg.path or raw.get("ForTest") or pkg.path.endswith(".test"):
            continue
        build.packages[pkg.path] = pkg
    build.names = ImportNames.declared({p.path: p.name for p in build.packages.values()})
    return build


def go_env(names: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> dict[str, str]:
    proc = subprocess.run(["go", "env", "-json", *names], capture_output=True, text=True, env=env or dict(os.environ), cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip())
    return json.loads(proc.stdout)
