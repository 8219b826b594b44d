"""The module files a rulec build uses instead of the user's.

The user's go.mod and go.sum are copied into the plan directory, the copy
requires rulec's runtime (replaced by runtime-go/ as installed) and whatever
the runtime needs, resolved by the go command's own MVS: a module the user
already requires is never downgraded, and one raised for the runtime is
reported. The user's files are read, never written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from compiler.golist import GoListError
from compiler.resolve import runtime_dir
from ruledsl.model import RUNTIME_MODULE
from ruledsl.versions import version_key

RUNTIME_VERSION = "v0.0.0"


def _requires(modfile: str, env: dict[str, str], cwd: str) -> dict[str, str]:
    proc = subprocess.run(["go", "mod", "edit", "-json", modfile], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip())
    return {r["Path"]: r["Version"] for r in json.loads(proc.stdout).get("Require") or []}


def _selected(modfile: str, env: dict[str, str], cwd: str) -> dict[str, str]:
    """The build list: the version MVS selects for every module of the build."""
    proc = subprocess.run(
        ["go", "list", f"-modfile={modfile}", "-m", "-f", "{{.Path}} {{.Version}}", "all"],
        capture_output=True, text=True, env=env, cwd=cwd,
    )  # fmt: skip
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip())
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line and line.split(" ", 1)[1])


def _go(argv: list[str], env: dict[str, str], cwd: str) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(f"rulec could not add its runtime to the build ({' '.join(argv[:2])}):\n" + proc.stderr.strip())


def prepare(user_modfile: str, work_dir: str, hook_packages: list[str], env: dict[str, str], cwd: str) -> list[str]:
    """Write work_dir/go.mod and go.sum; return the modules raised ("m vA → vB")."""
    modfile = os.path.join(work_dir, "go.mod")
    shutil.copyfile(user_modfile, modfile)
    user_sum = user_modfile[: -len(".mod")] + ".sum"
    runtime = runtime_dir()
    sums: set[str] = set()
    for f in (user_sum, str(runtime / "go.sum")):
        if os.path.exists(f):
            sums.update(line for line in Path(f).read_text().splitlines() if line.strip())
    Path(work_dir, "go.sum").write_text("".join(line + "\n" for line in sorted(sums)))

    # `go get` of the runtime and of each module it needs newer than the user
    # has: the go command's own MVS then settles every version consistently.
    # Only raises, never a downgrade.
    user = _selected(modfile, env, cwd)
    needed = _requires(str(runtime / "go.mod"), env, cwd)
    _go(["go", "mod", "edit", f"-modfile={modfile}", f"-replace={RUNTIME_MODULE}={runtime}"], env, cwd)
    wanted = [f"{RUNTIME_MODULE}@{RUNTIME_VERSION}"] + [
        f"{path}@{version}" for path, version in sorted(needed.items())
        if path not in user or version_key(user[path]) < version_key(version)
    ]  # fmt: skip
    _go(["go", "get", f"-modfile={modfile}", *wanted], env, cwd)
    after = _selected(modfile, env, cwd)
    raised = [f"{path} {user[path]} → {after[path]}" for path in sorted(user) if after.get(path, user[path]) != user[path]]
    lowered = [line for line in raised if version_key(after[line.split(" ", 1)[0]]) < version_key(user[line.split(" ", 1)[0]])]
    if lowered:  # MVS never does this; refuse rather than build something else
        raise GoListError("rulec's runtime would downgrade " + ", ".join(lowered))
    # Loading the runtime's packages with -mod=mod records any checksum the
    # merged go.sum still lacks (from the module cache, or the proxy once).
    load = ["go", "list", f"-modfile={modfile}", "-mod=mod", "-deps", *hook_packages]
    _go(load, env, cwd)
    return raised
