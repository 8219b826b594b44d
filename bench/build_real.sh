#!/usr/bin/env bash
# Build time of `rulec build` against `go build` on a real service: Gitea
# (code.gitea.io/gitea, pinned below; ~1480 packages: net/http, database/sql
# with the MySQL/PostgreSQL/MSSQL drivers, go-redis v9, gRPC codes/status),
# fetched through the module proxy and copied writable.
#
#   bash bench/build_real.sh [COUNT]     (default 5 pairs; COLD_PAIRS=3 cold pairs)
#   ONLY=warm,edit bash bench/build_real.sh 5     (a subset: warm, edit, cold, size)
#
# Alternating go/rulec pairs, ratio pair by pair: cold (fresh empty GOCACHE
# and rulec cache per run, output deleted first), warm (same command twice,
# the second timed), one-file edit (main.go gains an unexported function
# before every run). Then binary sizes: plain, hand-instrumented (the same
# source plus bench/buildreal/hand_otel.go, OTel SDK and contrib), rulec.
source "$(dirname "$0")/common.sh"

module=code.gitea.io/gitea
version=v1.26.0
# What hand_otel.go imports, pinned (the newest releases on 2026-11-30).
hand_modules=(
  github.com/XSAM/otelsql@v0.44.0
  github.com/redis/go-redis/extra/redisotel/v9@v9.23.0
  go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp@v0.72.0
  go.opentelemetry.io/contrib/instrumentation/runtime@v0.72.0
  go.opentelemetry.io/contrib/propagators/b3@v1.47.0
  go.opentelemetry.io/contrib/propagators/jaeger@v1.47.0
  go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc@v1.47.0
  go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp@v1.47.0
  go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc@v1.47.0
  go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp@v1.47.0
  go.opentelemetry.io/otel/exporters/prometheus@v0.69.0
)

export GOFLAGS=-buildvcs=false
export PYTHONPATH="$(dirname "$here")${PYTHONPATH:+:$PYTHONPATH}" # this checkout's rulec
dir="$(go mod download -json "$module@$version" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
cp -r "$dir" "$tmp/src"
chmod -R u+w "$tmp/src"
cp -r "$tmp/src" "$tmp/hand"
cp "$here/buildreal/hand_otel.go" "$tmp/hand/"
(cd "$tmp/hand" && go get "${hand_modules[@]}" 2>/dev/null)

echo "$module@$version: $(cd "$tmp/src" && go list -deps . | wc -l) packages in the build graph; $(go version); $(nproc) cores; $(date -u +%FT%TZ)"
python3 "$here/buildreal/measure.py" --src "$tmp/src" --hand "$tmp/hand" --scratch "$tmp" \
  --pairs "$count" --cold-pairs "${COLD_PAIRS:-3}" --only "${ONLY:-warm,edit,cold,size}"
