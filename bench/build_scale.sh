#!/usr/bin/env bash
# How rulec's build overhead grows with the module: `go build` and
# `rulec build` of generated modules of N packages (bench/genmodule.py), side
# by side, alternating, PAIRS pairs per case:
#
#   warm  nothing changed since the last build of the same command
#         (each command keeps its own output binary);
#   cold  every generated package new to Go's build cache (a new `Seed`
#         constant in each before every single build, output deleted), the
#         standard library and rulec's runtime already in it: what a build
#         costs per package of the user's, with rulec's plan made anew.
#
#   bash bench/build_scale.sh [PAIRS] [N...]      (default 5 pairs; 50 500 2000)
#
# GOCACHE: a fresh one (deleted at the end), filled by one build of each
# command before timing; BENCH_SHARED_GOCACHE=1 uses `go env GOCACHE`
# instead (bench/quick.sh, at N=50: a few MB of new entries).
# RULEC_CACHE is a fresh one either way. rulec's stage times come from
# RULEC_TIMINGS=1. Each result line starts with RESULT (bench/quick.sh reads
# them).
source "$(dirname "$0")/common.sh"
count="${1:-5}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 500 2000)
worktree="$(dirname "$here")"
export GOFLAGS=-buildvcs=false RULEC_CACHE="$tmp/rulec-cache"
if [ "${BENCH_SHARED_GOCACHE:-0}" != 1 ]; then
  export GOCACHE="$tmp/gocache"
fi
log="$tmp/times.txt"

now() { date +%s.%N; }
rulec() { PYTHONPATH="$worktree" python3 -m rulec "$@"; }

timed() { # n case tool out -- command...
  local n="$1" kase="$2" tool="$3" out="$4" t0 t1
  shift 5
  t0=$(now)
  if ! "$@" >"$tmp/run.out" 2>"$tmp/run.err"; then
    cat "$tmp/run.err" >&2
    echo "build_scale: $tool build failed at N=$n ($kase)" >&2
    exit 1
  fi
  t1=$(now)
  echo "time $n $kase $tool $(awk "BEGIN { print $t1 - $t0 }")" >>"$log"
  sed -n "s/^rulec: time \([a-z-]*\) \(.*\)$/stage $n $kase \1 \2/p" "$tmp/run.err" >>"$log"
  [ -z "$out" ] || [ -f "$out" ] || { echo "build_scale: no $out" >&2; exit 1; }
}

seed=1
for n in "${sizes[@]}"; do
  mod="$tmp/m$n"
  python3 "$here/genmodule.py" "$mod" "$n"
  cd "$mod"
  # Untimed: fills GOCACHE with what does not change (std, rulec's runtime
  # and the instrumented std) and leaves each command's output in place.
  go build -o "$tmp/app.go" ./cmd/app
  rulec build -o "$tmp/app.rulec" ./cmd/app 2>/dev/null
  for _ in $(seq "$count"); do
    timed "$n" warm go "$tmp/app.go" -- go build -o "$tmp/app.go" ./cmd/app
    timed "$n" warm rulec "$tmp/app.rulec" -- env RULEC_TIMINGS=1 PYTHONPATH="$worktree" python3 -m rulec build -o "$tmp/app.rulec" ./cmd/app
  done
  for _ in $(seq "$count"); do
    for tool in go rulec; do
      seed=$((seed + 1))
      python3 "$here/genmodule.py" "$mod" "$n" --seed "$seed"
      rm -f "$tmp/app.$tool"
      if [ "$tool" = go ]; then
        timed "$n" cold go "$tmp/app.go" -- go build -o "$tmp/app.go" ./cmd/app
      else
        timed "$n" cold rulec "$tmp/app.rulec" -- env RULEC_TIMINGS=1 PYTHONPATH="$worktree" python3 -m rulec build -o "$tmp/app.rulec" ./cmd/app
      fi
    done
  done
  cd "$here"
  rm -rf "$mod"
done

python3 "$here/scale_report.py" "$log"
