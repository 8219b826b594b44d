#!/usr/bin/env bash
# Installs rulec from this checkout (editable: it reads rules/ and runtime-go/
# here) into a virtual environment, never into the system's Python: the active
# one ($VIRTUAL_ENV), else .venv/ in the checkout. Extras in RULEC_EXTRAS
# (`RULEC_EXTRAS=test bash install.sh`), not as arguments: a sourced script
# sees its caller's. Sourced by the other scripts, it also puts that
# environment's bin/ first on PATH, so `python3` and `rulec` are its own.
set -euo pipefail
rulec_checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rulec_venv="${VIRTUAL_ENV:-$rulec_checkout/.venv}"
if [ ! -x "$rulec_venv/bin/python3" ]; then
  python3 -m venv "$rulec_venv" || {
    echo "rulec: could not create a virtual environment in $rulec_venv (on Debian or Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  }
fi
rulec_extras="${RULEC_EXTRAS:-}"
"$rulec_venv/bin/python3" -m pip install --quiet --disable-pip-version-check -e "$rulec_checkout${rulec_extras:+[$rulec_extras]}"
export VIRTUAL_ENV="$rulec_venv"
export PATH="$rulec_venv/bin:$PATH"
