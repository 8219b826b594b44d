"""Summarise bench/build_scale.sh's log: per N and case, go and rulec side by
side, the overhead in seconds and per package, and rulec's stage times.

Log lines: `time N CASE TOOL SECONDS` (go then rulec, alternating) and,
after each rulec line, `stage N CASE STAGE SECONDS` (a stage that ran more
than once in that build is added up).
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict

STAGES = ["go-env", "plan-key", "rules", "go-list", "resolve", "add-runtime", "module-copies", "write-plan", "prepare", "go-command"]


def _parse(path: str) -> tuple[dict, dict]:
    times: dict[tuple[int, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    stages: dict[tuple[int, str], list[dict[str, float]]] = defaultdict(list)
    with open(path) as f:
        for line in f:
            kind, n, case, name, secs = line.split()
            key = (int(n), case)
            if kind == "time":
                times[key][name].append(float(secs))
                if name == "rulec":
                    stages[key].append(defaultdict(float))
            else:
                stages[key][-1][name] += float(secs)
    return times, stages


def _spread(values: list[float], fmt: str) -> str:
    return f"{statistics.median(values):{fmt}} [{min(values):{fmt}}–{max(values):{fmt}}]"


def main() -> None:
    times, stages = _parse(sys.argv[1])
    print("| N | case | go build s | rulec build s | ratio (pairs) | overhead s | per package ms |")
    print("|---|---|---|---|---|---|---|")
    overhead: dict[tuple[int, str], float] = {}
    results = []
    for (n, case), by_tool in sorted(times.items()):
        go, rulec = by_tool["go"], by_tool["rulec"]
        ratios = [r / g for g, r in zip(go, rulec, strict=True)]
        diffs = [r - g for g, r in zip(go, rulec, strict=True)]
        extra = overhead[(n, case)] = statistics.median(diffs)
        print(
            f"| {n} | {case} | {_spread(go, '.2f')} | {_spread(rulec, '.2f')} | {_spread(ratios, '.2f')} "
            f"| {_spread(diffs, '.2f')} | {1000 * extra / n:.1f} |"
        )
        results += [f"RESULT {case}_ratio {n} {statistics.median(ratios):.3f}", f"RESULT {case}_overhead_s {n} {extra:.3f}"]
        results.append(f"RESULT {case}_ms_per_package {n} {1000 * extra / n:.2f}")
    print("\nMarginal overhead per added package (between consecutive N):\n")
    for case in sorted({c for _, c in overhead}):
        ns = sorted(n for n, c in overhead if c == case)
        for a, b in zip(ns, ns[1:], strict=False):
            slope = 1000 * (overhead[(b, case)] - overhead[(a, case)]) / (b - a)
            print(f"- {case}, N {a} → {b}: {slope:.1f} ms/package")
            results.append(f"RESULT {case}_marginal_ms_per_package {b} {slope:.2f}")
    print("\nrulec's stages (median seconds per build; `own` = rulec build − go-command):\n")
    seen = [s for s in STAGES if any(s in run for runs in stages.values() for run in runs)]
    print("| N | case | " + " | ".join(seen) + " | own |")
    print("|---|---|" + "---|" * (len(seen) + 1))
    for (n, case), runs in sorted(stages.items()):
        own = [t - run["go-command"] for t, run in zip(times[(n, case)]["rulec"], runs, strict=True)]
        cells = [f"{statistics.median(run.get(s, 0.0) for run in runs):.3f}" for s in seen]
        print(f"| {n} | {case} | " + " | ".join(cells) + f" | {statistics.median(own):.3f} |")
        results.append(f"RESULT {case}_own_s {n} {statistics.median(own):.3f}")
    print()
    print("\n".join(results))


if __name__ == "__main__":
    main()
