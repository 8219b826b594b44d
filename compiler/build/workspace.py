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

from compiler.golist import GoListError
from compiler.resolve import runtime_dir
from ruledsl.model import RUNTIME_MODULE

RUNTIME_VERSION = "v0.0.0"


def _requires(modfile: str, env: dict[str, str], cwd: str) -> dict[str, str]:
    proc = subprocess.run(["go", "mod", "edit", "-json", modfile], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip())
    return {r["Path"]: r["Version"] for r in json.loads(proc.stdout).get("Require") or []}


def prepare(user_modfile: str, work_dir: str, hook_packages: list[str], env: dict[str, str], cwd: str) -> list[str]:
    """Write work_dir/go.mod and go.sum; return the modules raised ("m vA → vB")."""
    modfile = os.path.join(work_dir, "go.mod")
    shutil.copyfile(user_modfile, modfile)
    user_sum = user_modfile[: -len(".mod")] + ".sum"
    if os.path.exists(user_sum):
        shutil.copyfile(user_sum, os.path.join(work_dir, "go.sum"))
    before = _requires(modfile, env, cwd)
    run = [
        "go", "mod", "edit", f"-modfile={modfile}",
        f"-require={RUNTIME_MODULE}@{RUNTIME_VERSION}", f"-replace={RUNTIME_MODULE}={runtime_dir()}",
    ]  # fmt: skip
    proc = subprocess.run(run, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip())
    # Loading the runtime's packages with -mod=mod adds exactly what they need.
    load = ["go", "list", f"-modfile={modfile}", "-mod=mod", "-deps", *hook_packages]
    proc = subprocess.run(load, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError("rulec could not add its runtime's dependencies to the build:\n" + proc.stderr.strip())
    after = _requires(modfile, env, cwd)
    return [
        f"{path} {before[path]} → {after[path]}"
        for path in sorted(before)
        if path in after and after[path] != before[path]
    ]
