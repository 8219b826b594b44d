#!/usr/bin/env bash
# The test command: installs rulec with its test tools, then runs every check.
# Works on a fresh machine with Go and Python 3.11+ (what .ci/run provides),
# plus Node.js 20 with npm for the console build.
set -euo pipefail
cd "$(dirname "$0")/.."

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
# One Go build cache for every test: a cold build of the OTel SDK takes minutes.
export GOCACHE="${GOCACHE:-$(go env GOCACHE)}"

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
# The real servers plugin tests talk to (Debian packages; started by the tests).
bash tests/services/install.sh
# The console's chart and graph libraries, from the pinned npm packages.
bash view/console/build.sh

echo "== lint"
ruff check .
test -z "$(gofmt -l runtime-go examples bench compiler)" || { gofmt -l runtime-go examples bench compiler; exit 1; }
(cd runtime-go && go vet ./... && GOOS=windows go vet ./... && GOOS=darwin go vet ./...)
(cd compiler/build/shim && go vet main.go && GOOS=darwin go vet main.go)

echo "== built-in rules against the oldest and newest release in each range"
python3 -m compiler.cli check --releases

echo "== runtime-go unit tests"
(cd runtime-go && go test -count=1 ./...)

echo "== rulec tests"
python3 -m pytest -q "$@"
