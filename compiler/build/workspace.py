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


def _higher(a: str, b: str) -> str:
    return a if version_key(a) >= version_key(b) else b


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

    # The runtime's requirements join the user's at the higher of the two
    # versions, as MVS would choose: never a downgrade.
    user = _requires(modfile, env, cwd)
    needed = _requires(str(runtime / "go.mod"), env, cwd)
    edits = [f"-require={RUNTIME_MODULE}@{RUNTIME_VERSION}", f"-replace={RUNTIME_MODULE}={runtime}"]
    raised = []
    for path, version in sorted(needed.items()):
        chosen = _higher(user[path], version) if path in user else version
        edits.append(f"-require={path}@{chosen}")
        if path in user and chosen != user[path]:
            raised.append(f"{path} {user[path]} → {chosen}")
    proc = subprocess.run(["go", "mod", "edit", f"-modfile={modfile}", *edits], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError(proc.stderr.strip())
    # Loading the runtime's packages with -mod=mod records any checksum the
    # merged go.sum still lacks (from the module cache, or the proxy once).
    load = ["go", "list", f"-modfile={modfile}", "-mod=mod", "-deps", *hook_packages]
    proc = subprocess.run(load, capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise GoListError("rulec could not add its runtime's dependencies to the build:\n" + proc.stderr.strip())
    return raised
