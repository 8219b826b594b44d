# Sourced by the bench scripts: their folder, a scratch directory removed on
# exit, the run count (first argument, default 10) and one pinned benchstat.
set -euo pipefail
count="${1:-10}"
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
benchstat="golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"
