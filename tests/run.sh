#!/usr/bin/env bash
# The test command: installs rulec with its test tools, then runs every check.
# Works on a fresh machine with Go and Python 3.11+ (what .ci/run provides),
# plus Node.js 20 with npm for the console build.
set -euo pipefail
cd "$(dirname "$0")/.."

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
# One Go build cache for every test: a cold build of the OTel SDK takes minutes.
export GOCACHE="${GOCACHE:-$(go env GOCACHE)}"

RULEC_EXTRAS=test source install.sh  # into .venv/ (or the active virtual environment)
# The real servers plugin tests talk to (Debian packages; started by the tests).
bash tests/services/install.sh
# The console's chart and graph libraries, from the pinned npm packages.
bash view/console/build.sh

echo "== lint"
ruff check .
test -z "$(gofmt -l runtime-go examples bench compiler)" || { gofmt -l runtime-go examples bench compiler; exit 1; }
# The runtime's modules: the core (runtime-go/) and one per plugin and optional exporter.
runtime_modules=$(find runtime-go -name go.mod -printf '%h\n' | sort)
for mod in $runtime_modules; do
  (cd "$mod" && go vet ./... && GOOS=windows go vet ./... && GOOS=darwin go vet ./...)
done
(cd compiler/gocommand/shim && go vet main.go && GOOS=darwin go vet main.go)

echo "== built-in rules against the oldest and newest release in each range"
python3 -m rulec check --releases

echo "== runtime-go unit tests"
for mod in $runtime_modules; do (cd "$mod" && go test -count=1 ./...); done

echo "== rulec tests"
python3 -m pytest -q "$@"

# Every other Go release rulec is tested with, fetched by the go command into
# the module cache as users' go commands fetch them (GOROOT under GOMODCACHE):
# the end-to-end tests of net/http (the example shop), database/sql, gRPC and
# the goroutine context. Skipped when arguments pick tests.
if [ $# -eq 0 ]; then
  for toolchain in go1.25.14 go1.27.3; do
    echo "== end-to-end tests with GOTOOLCHAIN=$toolchain"
    GOTOOLCHAIN=$toolchain python3 -m pytest -q tests/e2e/test_nethttp.py tests/e2e/test_databasesql.py \
      tests/e2e/test_grpc.py tests/e2e/test_goroutine_context.py
  done
fi
