#!/usr/bin/env bash
# Run-time overhead of a rulec-built HTTP server: the shop backend's handler
# (bench/httpserver) built three ways and loaded by wrk on loopback.
#
#   bash bench/http_server.sh [ROUNDS] [SECONDS] [DEAD_SECONDS]   (default 5, 10, 60)
#
# Variants: plain `go build`; rulec build of the same main; the same handler
# wrapped in otelhttp.NewHandler with the SDK set up as rulec's runtime sets
# it up (bench/httpserver/otelhttp). Both instrumented variants export to
# bench/otlpsink, parent-based always-on sampling, default OTEL_BSP_*.
#
# Each round starts every variant afresh (order rotated per round), runs a
# 3 s wrk warm-up and a measured `wrk -t1 -c32 -d${SECONDS}s --latency`, and
# reads the server's peak RSS (VmHWM). Prints per-variant medians/min/max
# and the rulec/otelhttp and rulec/plain ratios taken round by round, with
# the server's CPU time per request (user+system over the measured run: the
# figure least moved by other load on the machine). Then the dead-exporter
# run: both instrumented variants exporting to a closed port under load for
# DEAD_SECONDS, VmRSS sampled every 2 s.
#
# The server runs on CPU 1, wrk and the sink on CPU 0 (BENCH_PIN=0 turns
# pinning off). BENCH_PROFILE=1 also takes a 10 s CPU profile of the rulec
# and the otelhttp server under load (builds with -tags benchprofile, which
# serve net/http/pprof) and prints each one's top by cumulative time.
source "$(dirname "$0")/common.sh"
rounds="${1:-5}"
seconds="${2:-10}"
dead_seconds="${3:-60}"
root="$(dirname "$here")"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
rulec() { PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" python3 -m rulec "$@"; }

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }

echo "== building"
(cd "$here/httpserver" && go build -o "$tmp/plain" . && rulec build -o "$tmp/rulec" . >/dev/null)
(cd "$here/httpserver/otelhttp" && go build -o "$tmp/otelhttp" .)
(cd "$here/otlpsink" && go build -o "$tmp/sink" .)
variants=(plain rulec otelhttp)

on_server=() on_load=() # command prefixes: no function, so that $! is the process itself
if [[ "${BENCH_PIN:-1}" == 1 ]]; then
  on_server=(taskset -c 1) on_load=(taskset -c 0)
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
addr="127.0.0.1:$(free_port)"
sink="127.0.0.1:$(free_port)"
url="http://$addr/orders/42"

SINK_ADDR="$sink" "${on_load[@]}" "$tmp/sink" 2>/dev/null &
sink_pid=$!
pid=""
trap 'kill "$sink_pid" $pid 2>/dev/null; rm -rf "$tmp"' EXIT

# start VARIANT ENDPOINT: starts the server in the background, sets $pid.
start() {
  BENCH_ADDR="$addr" OTEL_SERVICE_NAME="shop-$1" OTEL_EXPORTER_OTLP_ENDPOINT="http://$2" \
    OTEL_TRACES_SAMPLER=parentbased_always_on "${on_server[@]}" "$tmp/$1" 2>>"$tmp/$1.log" &
  pid=$!
  for _ in $(seq 100); do
    curl -sf "http://$addr/healthz" >/dev/null && return
    sleep 0.05
  done
  echo "$1 did not start" >&2
  exit 1
}
stop() { kill "$pid" && wait "$pid" || true; }
status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; } # kB
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }            # user + system

echo "== $rounds rounds: wrk -t1 -c32 -d${seconds}s --latency $url (after a 3 s warm-up)"
for round in $(seq "$rounds"); do
  for i in 0 1 2; do
    v="${variants[$(((round + i) % 3))]}"
    start "$v" "$sink"
    "${on_load[@]}" wrk -t1 -c32 -d3s "$url" >/dev/null
    before="$(cpu_ticks "$pid")"
    "${on_load[@]}" wrk -t1 -c32 -d"${seconds}s" --latency "$url" >"$tmp/$v.$round.wrk"
    echo $(($(cpu_ticks "$pid") - before)) >"$tmp/$v.$round.cpu"
    status "$pid" VmHWM >"$tmp/$v.$round.rss"
    stop
  done
  echo "round $round done"
done
curl -s "http://$sink/stats" >"$tmp/sink.json"

python3 - "$tmp" "$rounds" <<'PY'
import json, os, re, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}
TICKS = os.sysconf("SC_CLK_TCK")

def wrk(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {p: float(v) * UNIT[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return {"rps": rps, "p50": lat["50"], "p99": lat["99"], "requests": requests}

runs = {}
for v in ("plain", "rulec", "otelhttp"):
    runs[v] = []
    for r in range(1, rounds + 1):
        run = wrk(f"{tmp}/{v}.{r}.wrk")
        run["rss"] = int(open(f"{tmp}/{v}.{r}.rss").read()) / 1024
        run["cpu"] = int(open(f"{tmp}/{v}.{r}.cpu").read()) * 1e6 / TICKS / run["requests"]
        runs[v].append(run)

def spread(xs, fmt):
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"

print("\nmedian (min–max) over rounds")
print("| variant | req/s | p50 ms | p99 ms | server CPU µs/request | peak RSS MiB |")
print("|---|---|---|---|---|---|")
for v, rs in runs.items():
    print(f"| {v} | {spread([r['rps'] for r in rs], '{:.0f}')} | {spread([r['p50'] for r in rs], '{:.3f}')} "
          f"| {spread([r['p99'] for r in rs], '{:.2f}')} | {spread([r['cpu'] for r in rs], '{:.1f}')} "
          f"| {spread([r['rss'] for r in rs], '{:.1f}')} |")

print("\nround-by-round ratios, median (min–max)")
print("| ratio | req/s | p50 | p99 | CPU/request | peak RSS (MiB difference) |")
print("|---|---|---|---|---|---|")
for other in ("otelhttp", "plain"):
    pairs = list(zip(runs["rulec"], runs[other]))
    cells = [spread([a[k] / b[k] for a, b in pairs], "{:.3f}") for k in ("rps", "p50", "p99", "cpu")]
    cells.append(spread([a["rss"] - b["rss"] for a, b in pairs], "{:+.1f}"))
    print(f"| rulec/{other} | " + " | ".join(cells) + " |")

print("\nsink received (all rounds):", json.load(open(f"{tmp}/sink.json")))
PY

echo
echo "== dead exporter: OTLP endpoint on a closed port, wrk -t1 -c32 -d${dead_seconds}s, VmRSS every 2 s (MiB)"
dead="127.0.0.1:$(free_port)"
for v in rulec otelhttp; do
  start "$v" "$dead"
  "${on_load[@]}" wrk -t1 -c32 -d"${dead_seconds}s" "$url" >"$tmp/dead.$v.wrk" &
  load=$!
  samples=()
  while kill -0 "$load" 2>/dev/null; do
    sleep 2
    samples+=("$(status "$pid" VmRSS)")
  done
  wait "$load"
  hwm="$(status "$pid" VmHWM)"
  stop
  python3 - "$v" "$hwm" "${samples[@]}" <<'PY'
import sys
v, hwm, kb = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3:] if x]
mib = [x / 1024 for x in kb]
print(f"{v}: first {mib[0]:.1f}, max {max(mib):.1f}, last {mib[-1]:.1f}, VmHWM {hwm / 1024:.1f} over {len(mib)} samples")
print("  " + " ".join(f"{x:.0f}" for x in mib))
PY
  grep 'Requests/sec' "$tmp/dead.$v.wrk" | sed "s/^/  $v /"
done

if [[ "${BENCH_PROFILE:-0}" == 1 ]]; then
  echo
  echo "== CPU profiles under wrk -t1 -c32 -d15s (10 s from the 2nd second; builds with -tags benchprofile)"
  (cd "$here/httpserver" && rulec build -o "$tmp/rulec" -tags benchprofile . >/dev/null)
  (cd "$here/httpserver/otelhttp" && go build -o "$tmp/otelhttp" -tags benchprofile .)
  pprof="127.0.0.1:$(free_port)"
  for v in rulec otelhttp; do
    BENCH_PPROF_ADDR="$pprof" start "$v" "$sink"
    "${on_load[@]}" wrk -t1 -c32 -d15s "$url" >"$tmp/prof.$v.wrk" &
    load=$!
    sleep 2
    go tool pprof -proto -output "$tmp/$v.pprof" "http://$pprof/debug/pprof/profile?seconds=10" 2>/dev/null
    wait "$load"
    stop
    echo "-- $v: $(grep 'Requests/sec' "$tmp/prof.$v.wrk")"
    go tool pprof -top -cum -nodecount=45 "$tmp/$v.pprof" 2>/dev/null | sed -n '/flat%/,$p'
  done
fi
