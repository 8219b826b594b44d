#!/usr/bin/env bash
# What an advised call costs when its plugin is switched off live, next to
# the same call unadvised, in one test binary built once by rulec.
#
#   bash bench/hook_switch.sh [COUNT]     (default 10)
#
# Prints benchstat tables and the added ns/op (median Traced - median Plain)
# for: the plugin switched off by RULEC_CONFIG_FILE, the SDK disabled, and
# the plugin on (a span per call, exporters off). Target: off <= 5 ns, 0 allocs.
source "$(dirname "$0")/common.sh"

(cd "$here/hookswitch" && rulec test --rules "$here/hookswitch.gorule" -- -c -o "$tmp/hookswitch.test" >/dev/null)
printf '[plugins]\ndisabled = ["benchswitch"]\n' >"$tmp/off.toml"

run() { # name, env...
  local name="$1"
  shift
  env OTEL_TRACES_EXPORTER=none OTEL_METRICS_EXPORTER=none "$@" \
    "$tmp/hookswitch.test" -test.run '^$' -test.bench . -test.benchmem -test.count "$count" >"$tmp/$name.txt" 2>/dev/null
}
run switched-off RULEC_CONFIG_FILE="$tmp/off.toml"
run sdk-disabled OTEL_SDK_DISABLED=true
run plugin-on

for name in switched-off sdk-disabled plugin-on; do
  echo "== $name"
  go run "$benchstat" "$tmp/$name.txt" | sed -n '/sec\/op/,/geomean/p'
  python3 - "$name" "$tmp/$name.txt" <<'PY'
import statistics, sys
name, path = sys.argv[1], sys.argv[2]
ns = {"Plain": [], "Traced": []}
allocs = 0
for line in open(path):
    f = line.split()
    for key in ns:
        if f and f[0].startswith(f"Benchmark{key}-"):
            ns[key].append(float(f[2]))
            if key == "Traced":
                allocs = int(f[6])
added = statistics.median(ns["Traced"]) - statistics.median(ns["Plain"])
print(f"{name}: added {added:.2f} ns/op, {allocs} allocs/op per advised call")
PY
done
