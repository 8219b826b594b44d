#!/usr/bin/env bash
# What the goroutine context costs a go statement: the same benchmark built
# by plain go and by rulec (runtime.g gains one field, copied in newproc1 and
# cleared in gdestroy), run alternately so both see the same machine.
#
#   bash bench/goroutine_context.sh [COUNT]     (default 10)
#
# Prints a benchstat comparison (plain vs rulec) and the added ns per go
# statement (difference of medians).
source "$(dirname "$0")/common.sh"

(cd "$here/gospawn" && go test -c -o "$tmp/plain.test" . && rulec test -- -c -o "$tmp/rulec.test" . >/dev/null)
for _ in $(seq "$count"); do # alternate, one run each, so drift hits both
  for b in plain rulec; do
    OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none \
      "$tmp/$b.test" -test.run '^$' -test.bench . -test.benchmem -test.count 1 | grep '^Benchmark' >>"$tmp/$b.txt"
  done
done
(cd "$tmp" && go run "$benchstat" plain.txt rulec.txt) | sed -n '/sec\/op/,/geomean/p'
python3 - "$tmp/plain.txt" "$tmp/rulec.txt" <<'PY'
import statistics, sys
def medians(path):
    runs = {}
    for line in open(path):
        f = line.split()
        runs.setdefault(f[0], []).append(float(f[2]))
    return {k: statistics.median(v) for k, v in runs.items()}
plain, rulec = medians(sys.argv[1]), medians(sys.argv[2])
for name in plain:
    print(f"{name}: plain {plain[name]:.1f} ns, rulec {rulec[name]:.1f} ns, added {rulec[name] - plain[name]:+.1f} ns per go statement")
PY
