"""The -toolexec command the go command runs: a compiled shim, else Python.

Most tool calls of a build are passed through unchanged, and starting
Python for each costs some 10 ms. shim/main.go makes the same decision as
toolexec.py in about a millisecond and starts Python only for the calls
rulec changes. It is built once per source and Go installation, by the
build's go command, into rulec's cache; where it cannot be built (no exec
syscall: Windows) the Python entry runs every call, as before.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).with_name("shim") / "main.go"
ENTRY = Path(__file__).with_name("toolexec.py")


def toolexec_argv(cache: Path, goenv: dict[str, str], env: dict[str, str]) -> list[str]:
    """The -toolexec command, as arguments."""
    shim = _shim(cache, goenv, env)
    return [str(shim), sys.executable, str(ENTRY)] if shim else [sys.executable, "-S", str(ENTRY)]


def _shim(cache: Path, goenv: dict[str, str], env: dict[str, str]) -> Path | None:
    where = "\0".join(goenv[k] for k in ("GOROOT", "GOVERSION", "GOHOSTOS", "GOHOSTARCH"))
    key = hashlib.sha256(SOURCE.read_bytes() + where.encode()).hexdigest()[:16]
    out = cache / "toolexec" / key / "rulec-toolexec"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"rulec-toolexec.{os.getpid()}")
    # For this machine, whatever the build targets, and untouched by the
    # build's flags (tags, -mod, a go.work); otherwise as plain as can be,
    # so that Go's cache already holds the few packages it imports.
    host = {k: v for k, v in env.items() if k not in ("GOOS", "GOARCH", "GOFLAGS", "GOWORK")}
    host.update(GOOS=goenv["GOHOSTOS"], GOARCH=goenv["GOHOSTARCH"], GOFLAGS="-buildvcs=false", GOWORK="off")
    try:
        proc = subprocess.run(["go", "build", "-o", str(tmp), SOURCE.name], cwd=SOURCE.parent, env=host, capture_output=True)
    except OSError:
        return None
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        return None
    os.replace(tmp, out)  # another build may have made the same one: either will do
    return out
