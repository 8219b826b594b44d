#!/usr/bin/env bash
# What rulec's -toolexec entry adds to a tool call it passes through: a real
# compile of a package rulec does not plan, and the go command's
# `compile -V=full` query, each run directly and through the entry exactly
# as rulec's driver hands it to the go command, alternating:
#
#   shim    the driver's command (compiler/gocommand/shim.py): the compiled
#           rulec-toolexec, which starts Python only for calls rulec changes;
#   python  the Python entry alone (`PYTHON -S toolexec.py TOOL ARGS`), what
#           the driver falls back to where the shim cannot be built.
#
# TOOLEXEC_IMPORTPATH and RULEC_PLAN_DIR are set as the go command and the
# driver set them (an empty plan: the package is not planned).
#
#   bash bench/toolexec.sh [PAIRS]      (default 40)
#
# Prints the medians and the median of the pairwise differences; the last
# line, `RESULT toolexec_added_ms X`, is the compile's through the shim
# (bench/quick.sh reads it). Target: <= 15 ms added per call.
source "$(dirname "$0")/common.sh"
count="${1:-40}"
worktree="$(dirname "$here")"
export GOFLAGS=-buildvcs=false

# A small package of its own, compiled once with -x -work: the compile
# command line the go command ran, with its $WORK kept.
mkdir -p "$tmp/mod/p"
printf 'module bench.example/toolexec\n\ngo 1.24\n' >"$tmp/mod/go.mod"
printf 'package p\n\nimport "fmt"\n\n// S says hello.\nfunc S(n int) string { return fmt.Sprint("hello ", n, " %s") }\n' "$$" >"$tmp/mod/p/p.go"
(cd "$tmp/mod" && go build -x -work ./p 2>"$tmp/x.txt")
mkdir -p "$tmp/plan/packages"  # an empty plan: no package is planned
# The driver's -toolexec command, its shim built into a scratch rulec cache.
PYTHONPATH="$worktree" python3 -c '
import json, os, subprocess, sys
from pathlib import Path
from rulec.compiler.gocommand import shim
goenv = json.loads(subprocess.run(["go", "env", "-json", "GOROOT", "GOVERSION", "GOHOSTOS", "GOHOSTARCH"], capture_output=True, check=True).stdout)
print("\n".join(shim.toolexec_argv(Path(sys.argv[1]), goenv, dict(os.environ))))
' "$tmp/rulec-cache" >"$tmp/toolexec.args"

python3 - "$count" "$tmp/x.txt" "$tmp/mod" "$tmp/plan" "$worktree/compiler/gocommand/toolexec.py" "$tmp/toolexec.args" <<'PY'
import os, re, shlex, statistics, subprocess, sys, time

count, xfile, moddir, plan, entry, driver_args = int(sys.argv[1]), *sys.argv[2:]
text = open(xfile).read()
work = re.search(r"^WORK=(\S+)", text, re.M).group(1)
line = next(ln for ln in text.splitlines() if re.search(r"/compile -o \S+ ", ln) and " -p bench.example/toolexec/p " in ln)
argv = [a.replace("$WORK", work) for a in shlex.split(line)]
prefixes = {"shim": open(driver_args).read().splitlines(), "python": [sys.executable, "-S", entry]}
assert "rulec-toolexec" in prefixes["shim"][0], prefixes["shim"]
env = {**os.environ, "TOOLEXEC_IMPORTPATH": "bench.example/toolexec/p", "RULEC_PLAN_DIR": plan}


def clock(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=moddir, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def pairs(cmd: list[str], prefix: list[str]) -> tuple[list[float], list[float]]:
    direct, through = [], []
    clock(cmd), clock(prefix + cmd)  # warm-up: page cache, the tool's binary
    for _ in range(count):
        direct.append(clock(cmd))
        through.append(clock(prefix + cmd))
    return direct, through


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f} ms [{1000 * min(values):.1f}–{1000 * max(values):.1f}]"


print("| call | entry | direct | through the entry | added (median of pairs) |")
print("|---|---|---|---|---|")
for name, cmd in (("compile -V=full", [argv[0], "-V=full"]), ("compile of an unplanned package", argv)):
    for entry_name in ("shim", "python"):
        direct, through = pairs(cmd, prefixes[entry_name])
        added = [t - d for d, t in zip(direct, through)]
        print(f"| {name} | {entry_name} | {ms(direct)} | {ms(through)} | {ms(added)} |")
        if entry_name == "shim":
            result = statistics.median(added)
print(f"({count} alternating pairs each)")
print(f"RESULT toolexec_added_ms {1000 * result:.2f}")
PY
rm -rf "$(sed -n 's/^WORK=//p' "$tmp/x.txt")"
