"""Alternating `go build` / `rulec build` pairs on one module: cold, warm, one-file edit.

Run by bench/build_real.sh, which prepares the module copies. Each pair is
go then rulec, back to back, so both see the same machine; the ratio is
taken pair by pair. Prints one line per pair as it goes, then the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TARGETS = {"cold": 1.3, "warm": 1.1, "edit": 1.15}


@dataclass
class Row:
    name: str
    go: list[float] = field(default_factory=list)
    rulec: list[float] = field(default_factory=list)

    def ratios(self) -> list[float]:
        return [r / g for g, r in zip(self.go, self.rulec, strict=True)]


def command(tool: str, out: Path, flags: list[str] = ()) -> list[str]:
    if tool == "go":
        return ["go", "build", *flags, "-o", str(out), "."]
    return [sys.executable, "-m", "rulec", "build", "--", *flags, "-o", str(out), "."]


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stderr[-4000:]}")
    return elapsed


def cold(src: Path, scratch: Path, pairs: int) -> Row:
    """A fresh, empty GOCACHE (and rulec cache) per run, the output deleted first."""
    row = Row("cold")
    for i in range(pairs):
        for tool, times in (("go", row.go), ("rulec", row.rulec)):
            out = scratch / f"cold-{tool}"
            out.unlink(missing_ok=True)
            gocache = Path(tempfile.mkdtemp(prefix="gocache.", dir=scratch))
            rcache = Path(tempfile.mkdtemp(prefix="rulec-cache.", dir=scratch))
            env = {**os.environ, "GOCACHE": str(gocache), "RULEC_CACHE": str(rcache)}
            try:
                times.append(timed(command(tool, out), src, env))
            finally:
                shutil.rmtree(gocache, ignore_errors=True)
                shutil.rmtree(rcache, ignore_errors=True)
        print(f"cold pair {i + 1}: go {row.go[-1]:.1f} s, rulec {row.rulec[-1]:.1f} s, ratio {row.ratios()[-1]:.3f}", flush=True)
    return row


def warm(src: Path, scratch: Path, pairs: int) -> Row:
    """The same command twice, nothing changed in between; the second is timed."""
    row = Row("warm")
    for i in range(pairs):
        for tool, times in (("go", row.go), ("rulec", row.rulec)):
            argv = command(tool, scratch / f"warm-{tool}")
            timed(argv, src, dict(os.environ))
            times.append(timed(argv, src, dict(os.environ)))
        print(f"warm pair {i + 1}: go {row.go[-1]:.2f} s, rulec {row.rulec[-1]:.2f} s, ratio {row.ratios()[-1]:.3f}", flush=True)
    return row


def edit(src: Path, scratch: Path, pairs: int, file: str) -> Row:
    """One file of the main package gains a new unexported function before each run."""
    row = Row("edit")
    path = src / file
    original = path.read_text()
    n = 0
    try:
        for tool in ("go", "rulec"):  # both start warm
            timed(command(tool, scratch / f"edit-{tool}"), src, dict(os.environ))
        for i in range(pairs):
            for tool, times in (("go", row.go), ("rulec", row.rulec)):
                n += 1
                with path.open("a") as f:
                    f.write(f"\nfunc benchEdit{n}() int {{ return {n} }}\n")
                times.append(timed(command(tool, scratch / f"edit-{tool}"), src, dict(os.environ)))
            print(f"edit pair {i + 1}: go {row.go[-1]:.2f} s, rulec {row.rulec[-1]:.2f} s, ratio {row.ratios()[-1]:.3f}", flush=True)
    finally:
        path.write_text(original)
    return row


def sizes(src: Path, hand: Path, scratch: Path) -> list[tuple[str, int, int, int]]:
    """(flags, plain, hand-instrumented, rulec) binary sizes in bytes."""
    rows = []
    for label, flags in (("default", []), ('-ldflags="-s -w"', ["-ldflags=-s -w"])):
        size = {}
        for name, tool, cwd in (("plain", "go", src), ("hand", "go", hand), ("rulec", "rulec", src)):
            out = scratch / f"size-{name}"
            out.unlink(missing_ok=True)
            timed(command(tool, out, flags), cwd, dict(os.environ))
            size[name] = out.stat().st_size
            out.unlink()
        rows.append((label, size["plain"], size["hand"], size["rulec"]))
    return rows


def table(rows: list[Row]) -> None:
    print("\n| row | pairs | go median s | rulec median s | ratio median | min | max | rulec - go (median s) | target | met |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        ratios = row.ratios()
        fixed = statistics.median(r - g for g, r in zip(row.go, row.rulec, strict=True))
        med = statistics.median(ratios)
        target = TARGETS[row.name]
        print(
            f"| {row.name} | {len(ratios)} | {statistics.median(row.go):.2f} | {statistics.median(row.rulec):.2f} | {med:.3f} | "
            f"{min(ratios):.3f} | {max(ratios):.3f} | {fixed:+.2f} | ≤ {target} × | {'met' if med <= target else 'NOT met'} |"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--src", type=Path, required=True, help="writable copy of the module")
    p.add_argument("--hand", type=Path, required=True, help="the same copy, hand-instrumented")
    p.add_argument("--scratch", type=Path, required=True)
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--cold-pairs", type=int, default=3)
    p.add_argument("--edit-file", default="main.go")
    p.add_argument("--only", default="warm,edit,cold,size", help="comma-separated subset")
    a = p.parse_args()
    only = a.only.split(",")
    rows = []
    if "warm" in only:
        rows.append(warm(a.src, a.scratch, a.pairs))
    if "edit" in only:
        rows.append(edit(a.src, a.scratch, a.pairs, a.edit_file))
    if "cold" in only:
        rows.append(cold(a.src, a.scratch, a.cold_pairs))
    if rows:
        table(rows)
    if "size" in only:
        print("\n| build | plain go | hand-instrumented (go) | rulec | rulec / hand | rulec / plain | target (≤ hand + 10 %) |")
        print("|---|---|---|---|---|---|---|")
        for label, plain, hand, rulec in sizes(a.src, a.hand, a.scratch):
            ratio = rulec / hand
            print(
                f"| {label} | {plain / 1e6:.1f} MB | {hand / 1e6:.1f} MB | {rulec / 1e6:.1f} MB | {ratio:.3f} | {rulec / plain:.3f} | "
                f"{'met' if ratio <= 1.10 else 'NOT met'} |"
            )


if __name__ == "__main__":
    main()
