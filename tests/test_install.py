"""install.sh, as the README's two commands source it: into the active
virtual environment (here, the one the tests run in), whatever arguments
the sourcing script was given, leaving that environment's rulec first on PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_sourced_with_its_callers_arguments_it_installs_into_the_active_environment() -> None:
    venv = Path(sys.prefix)
    # demo.sh's own options are in $@ when it sources install.sh: they are not extras.
    script = 'set -- --seconds 20 --no-open; source install.sh && command -v rulec python3 && rulec --version'
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    proc = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    rulec, python, version = proc.stdout.splitlines()
    assert Path(rulec) == venv / "bin" / "rulec" and Path(python) == venv / "bin" / "python3"
    assert version.startswith("rulec ")
