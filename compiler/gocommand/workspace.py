"""The module files a rulec build uses instead of the user's.

A build is either one module (go.mod, or the user's -modfile) or a go.work
workspace. Either way the user's files are copied into the plan directory,
the copy brings in rulec's runtime (runtime-go/ as installed) and whatever
it needs, resolved by the go command's own MVS — a module the user's build
selects is never downgraded, and one raised for the runtime is reported —
and the go command is pointed at the copy (-modfile, or GOWORK). The user's
files are read, never written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rulec.compiler.gocommand import otel_family, runtime_modules
from rulec.compiler.golist import Build, GoListError, Module
from rulec.ruledsl.model import RUNTIME_MODULE
from rulec.ruledsl.versions import version_key

RUNTIME_VERSION = "v0.0.0"


_OFFLINE_HINT = (
    "the module cache lacks modules rulec's runtime needs, and the network is off for the go command: "
    "run one rulec build with GOPROXY reachable (or `go mod download` in rulec's runtime-go/) to fill it"
)


def _go(argv: list[str], env: dict[str, str], cwd: str) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        why = proc.stderr.strip()
        if "GOPROXY=off" in why or "-mod=vendor" in why or "GOFLAGS=-mod=mod" in why:
            why += "\n" + _OFFLINE_HINT
        raise GoListError(f"cannot add rulec's runtime to this build (`go {argv[1]}` failed):\n{why}")
    return proc.stdout


def _edit_json(argv: list[str], env: dict[str, str], cwd: str) -> dict:
    return json.loads(_go(argv, env, cwd))


@dataclass(frozen=True)
class Project:
    """The user's module setup: one go.mod, or a go.work workspace."""

    modfile: str | None = None
    gowork: str | None = None
    # The user's build reads vendor/. rulec's copy of go.mod cannot match
    # vendor/modules.txt (the go command reads that file past -overlay), so an
    # instrumented build takes the same module versions from the module cache.
    vendor: bool = False

    @classmethod
    def find(cls, goenv: dict[str, str], own_modfile: str | None, mod_flag: str | None, cwd: str) -> Project | None:
        gowork = goenv.get("GOWORK", "")
        if gowork and gowork != "off":
            return cls(gowork=gowork)
        gomod = goenv.get("GOMOD", "")
        if not gomod or gomod == os.devnull:
            return None
        modfile = os.path.join(cwd, own_modfile) if own_modfile else gomod
        return cls(modfile=modfile, vendor=_uses_vendor(modfile, mod_flag))

    def module_roots(self, env: dict[str, str], cwd: str) -> list[Path]:
        """The directories of the main modules (the workspace's `use`s)."""
        if self.modfile:
            return [Path(self.modfile).parent]
        work = _edit_json(["go", "work", "edit", "-json", self.gowork], env, cwd)
        base = Path(self.gowork).parent
        return [(base / u["DiskPath"]).resolve() for u in work.get("Use") or []]

    def inputs(self, env: dict[str, str], cwd: str) -> list[Path]:
        """Files whose contents decide the module graph."""
        if self.modfile:
            return [Path(self.modfile), Path(self.modfile[: -len(".mod")] + ".sum")]
        files = [Path(self.gowork), Path(self.gowork + ".sum")]
        for root in self.module_roots(env, cwd):
            files += [root / "go.mod", root / "go.sum"]
        return files

    def go_setup(self, work_dir: Path) -> tuple[list[str], dict[str, str]]:
        """Flags and environment that point the go command at the copy in work_dir."""
        if self.gowork:
            return [], {"GOWORK": str(work_dir / "go.work")}
        return [f"-modfile={work_dir / 'go.mod'}", *(["-mod=mod"] if self.vendor else [])], {}

    def copy(self, work_dir: Path) -> None:
        """Copy the user's module files into work_dir. From here on every go
        command reads (and may write) the copy only."""
        if self.gowork:
            self._copy_workspace(work_dir)
            return
        shutil.copyfile(self.modfile, work_dir / "go.mod")
        sums: set[str] = set()
        for f in (Path(self.modfile[: -len(".mod")] + ".sum"), *runtime_modules.sums()):
            if f.exists():
                sums.update(line for line in f.read_text().splitlines() if line.strip())
        (work_dir / "go.sum").write_text("".join(line + "\n" for line in sorted(sums)))

    def add_runtime(self, work_dir: Path, hook_packages: list[str], env: dict[str, str], cwd: str) -> list[str]:
        """Bring the runtime modules that `hook_packages` need into the copy;
        return the modules raised ("m vA → vB")."""
        flags, setup_env = self.go_setup(work_dir)
        env = {**env, **setup_env}
        before = _selected(flags, env, cwd)
        needed = runtime_modules.needed(hook_packages)
        if self.gowork:
            self._add_runtime_to_workspace(work_dir, needed, env, cwd)
        else:
            self._add_runtime_to_module(work_dir, needed, env, cwd)
        after = _selected(flags, env, cwd)
        aligned = otel_family.sdk_requirements(after)
        if aligned:
            self._require(work_dir, aligned, env, cwd)
            after = _selected(flags, env, cwd)
        raised = [path for path in sorted(before) if after.get(path, before[path]) != before[path]]
        lowered = [p for p in raised if version_key(after[p]) < version_key(before[p])]
        if lowered:  # MVS never does this; refuse rather than build something else
            raise GoListError("rulec's runtime would downgrade " + ", ".join(f"{p} {before[p]} → {after[p]}" for p in lowered))
        if not self.gowork:
            # Loading the runtime's packages with -mod=mod records any checksum
            # the merged go.sum still lacks (from the module cache, or the proxy once).
            _go(["go", "list", *flags, "-mod=mod", "-deps", *hook_packages], env, cwd)
        return [f"{p} {before[p]} → {after[p]}{_needed_by(p, after[p], needed, aligned)}" for p in raised]

    def replace_modules(self, work_dir: Path, copies: dict[Module, Path], env: dict[str, str], cwd: str) -> None:
        """Build each module version in `copies` from the directory given."""
        edits = [f"-replace={m.path}@{m.version}={d}" for m, d in copies.items()]
        if self.gowork:
            _go(["go", "work", "edit", *edits, str(work_dir / "go.work")], env, cwd)
        else:
            _go(["go", "mod", "edit", f"-modfile={work_dir / 'go.mod'}", *edits], env, cwd)

    def require_all(self, work_dir: Path, build: Build, env: dict[str, str], cwd: str) -> bool:
        """Make the go.mod copy require every module the build takes a package
        from, at the version selected. With graph pruning (go >= 1.17) the go
        command wants that of every module behind the main packages' imports,
        and the generated file makes the main packages import the runtime:
        a module only the runtime needs, and that the build selects at a
        version newer than the runtime asks for, is otherwise missing, and
        the build stops with "updates to go.mod needed"."""
        if self.gowork:
            return False  # a workspace's modules keep their own requirements
        modfile = work_dir / "go.mod"
        mod = _edit_json(["go", "mod", "edit", "-json", str(modfile)], env, cwd)
        # A replaced module's version in the build is its replacement's: those are left alone.
        listed = {r["Path"] for r in mod.get("Require") or []} | {r["Old"]["Path"] for r in mod.get("Replace") or []}
        missing = sorted(f"-require={m.path}@{m.version}" for m in build.modules().values() if m.version and m.path not in listed)
        if missing:
            _go(["go", "mod", "edit", f"-modfile={modfile}", *missing], env, cwd)
            # A module required directly now brings its go.mod's requirements
            # into the pruned graph: the go command raises what they need.
            # (-e: a module whose .info the proxy no longer serves is no reason to stop.)
            _go(["go", "list", f"-modfile={modfile}", "-mod=mod", "-m", "-e", "-f", "{{.Path}}", "all"], env, cwd)
        return bool(missing)

    def _add_runtime_to_module(self, work_dir: Path, needed: list[runtime_modules.GoMod], env: dict[str, str], cwd: str) -> None:
        # A requirement on each runtime module the build needs, and every
        # runtime module replaced by its directory (one may require another).
        # The go command's MVS then takes the higher of the build's and the
        # runtime's version of every module, from go.mod files alone: never
        # a `go get` of exact versions, which lowers a module the build has
        # newer and whose answer depends on what the module cache holds.
        modfile = work_dir / "go.mod"
        edits = [f"-replace={m.path}={m.dir}" for m in runtime_modules.modules().values()]
        edits += [f"-require={m.path}@{RUNTIME_VERSION}" for m in needed]
        edits += _go_line(_edit_json(["go", "mod", "edit", "-json", str(modfile)], env, cwd).get("Go"), needed)
        _go(["go", "mod", "edit", f"-modfile={modfile}", *edits], env, cwd)

    def _require(self, work_dir: Path, versions: dict[str, str], env: dict[str, str], cwd: str) -> None:
        """Require each module at the version given: in the go.mod copy, or,
        in a workspace, through a module of rulec's made for it and used."""
        if not self.gowork:
            edits = [f"-require={m}@{v}" for m, v in versions.items()]
            _go(["go", "mod", "edit", f"-modfile={work_dir / 'go.mod'}", *edits], env, cwd)
            return
        extra = work_dir / "requirements"
        extra.mkdir(exist_ok=True)
        lines = "".join(f"\t{m} {v}\n" for m, v in sorted(versions.items()))
        (extra / "go.mod").write_text(f"module rulec.dev/requirements\n\ngo 1.21\n\nrequire (\n{lines})\n")
        # The module's go.sum: the checksums of those versions and of what they require.
        (extra / "go.sum").write_text("")
        _go(["go", "mod", "download", *(f"{m}@{v}" for m, v in versions.items())], {**env, "GOWORK": "off"}, str(extra))
        _go(["go", "list", "-mod=mod", "-m", "all"], {**env, "GOWORK": "off"}, str(extra))
        # Relative: the plan directory is moved into place once made.
        _go(["go", "work", "edit", "-use=./requirements", str(work_dir / "go.work")], env, cwd)

    def _copy_workspace(self, work_dir: Path) -> None:
        copy = work_dir / "go.work"
        shutil.copyfile(self.gowork, copy)
        if os.path.exists(self.gowork + ".sum"):
            shutil.copyfile(self.gowork + ".sum", str(copy) + ".sum")
        base = Path(self.gowork).parent
        work = _edit_json(["go", "work", "edit", "-json", self.gowork], {**os.environ}, str(base))
        edits = []
        for use in work.get("Use") or []:  # relative paths were relative to the user's go.work
            edits += [f"-dropuse={use['DiskPath']}", f"-use={(base / use['DiskPath']).resolve()}"]
        for rep in work.get("Replace") or []:
            new = rep["New"]
            if not new.get("Version") and not os.path.isabs(new["Path"]):
                old = rep["Old"]["Path"] + (f"@{rep['Old']['Version']}" if rep["Old"].get("Version") else "")
                edits += [f"-dropreplace={old}", f"-replace={old}={(base / new['Path']).resolve()}"]
        if edits:
            _go(["go", "work", "edit", *edits, str(copy)], {**os.environ}, str(base))

    def _add_runtime_to_workspace(self, work_dir: Path, needed: list[runtime_modules.GoMod], env: dict[str, str], cwd: str) -> None:
        # The runtime modules the build needs join the workspace: their
        # requirements take part in the workspace's MVS and their go.sums count.
        copy = work_dir / "go.work"
        edits = [f"-use={m.dir}" for m in needed]
        edits += _go_line(_edit_json(["go", "work", "edit", "-json", str(copy)], env, cwd).get("Go"), needed)
        _go(["go", "work", "edit", *edits, str(copy)], env, cwd)


def _go_line(current: str | None, needed: list[runtime_modules.GoMod]) -> list[str]:
    """The -go edit that raises a go.mod or go.work's go line to the newest of
    the runtime modules it now requires (a main module's is at least each of
    theirs), or none."""
    newest = max((m.go for m in needed), key=version_key)
    return [f"-go={newest}"] if version_key(current or "1.0") < version_key(newest) else []


def _needed_by(path: str, version: str, needed: list[runtime_modules.GoMod], aligned: dict[str, str]) -> str:
    """Which runtime modules ask for `path` at `version`, as the reason of a raise."""
    owners = [m.path for m in needed if m.requires.get(path) == version]
    # The core's requirements are listed again by every module built on it: name it alone.
    owners = [RUNTIME_MODULE] if RUNTIME_MODULE in owners else owners
    if owners:
        return f" (required by {', '.join(owners)})"
    if aligned:
        sdk = ", ".join(f"{m} {v}" for m, v in aligned.items())
        return f" (required by {sdk}, matching the build's OTel API)"
    return ""


def _uses_vendor(modfile: str, mod_flag: str | None) -> bool:
    """Whether the go command builds this module from vendor/, as it decides."""
    if mod_flag is not None:
        return mod_flag == "vendor"
    if not (Path(modfile).parent / "vendor" / "modules.txt").exists():
        return False
    go_line = next((ln.split()[1] for ln in Path(modfile).read_text().splitlines() if ln.startswith("go ") and len(ln.split()) > 1), "1.0")
    return version_key(go_line) >= version_key("1.14")


def _selected(flags: list[str], env: dict[str, str], cwd: str) -> dict[str, str]:
    """The build list: the version MVS selects for every module of the build."""
    out = _go(["go", "list", *flags, "-m", "-e", "-f", "{{.Path}} {{.Version}}", "all"], env, cwd)
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line and line.split(" ", 1)[1])
