#!/usr/bin/env bash
# Install rulec, build the example shop with it, run it, print its traces.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
python3 -m pip install --quiet --disable-pip-version-check -e .
exec python3 examples/demo.py
