#!/usr/bin/env bash
# Install rulec, build the example shop with it, run it against `rulec view` and
# leave the console open on its traces (Ctrl-C stops). Options: see demo.py --help.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
source install.sh  # into .venv/ (or the active virtual environment)
# The console's chart and graph libraries, from the pinned npm packages.
bash view/console/build.sh
exec python3 examples/demo.py "$@"
