"""`rulec view` at a million spans: ingest rate, peak RSS, every console page's API
latency over the last 15 minutes and the last 24 hours, the static console, and
a restart.

    PYTHONPATH=. python3 bench/view_scale.py [--spans 1000000] [--senders 4] [--requests 20]

Starts `rulec view` as a subprocess on free ports with a fresh --data directory
(tests/support/viewproc.py, as the tests do), pre-encodes a day of traffic
(bench/view_traffic.py, built on the tests' span specs) and POSTs it over
OTLP/HTTP protobuf from several senders. The ingest clock runs from the first
POST until /api/overview counts every request sent: end to end, stored and
queryable. Latencies are measured one request at a time on an idle store,
after one unmeasured warm-up request per query.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import queue
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The tests' own process runner and span encoder: the bench sends what they send.
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "view")]

import duckdb  # noqa: E402
import view_traffic  # noqa: E402
from support.viewproc import View, rulec_view  # noqa: E402

from rulec.view.db import DB_FILE  # noqa: E402
from rulec.view.static import CONSOLE_DIR  # noqa: E402

MINUTE_NS = view_traffic.MINUTE_NS
RANGES = ("15m", "24h")


@dataclass(frozen=True)
class Traffic:
    bodies: list[tuple[int, str, bytes]]  # (first timestamp, OTLP path, body), in send order
    spans: int
    entries: int  # SERVER and CONSUMER spans: what /api/overview counts
    points: int


# --- traffic ------------------------------------------------------------------


def _chunk(args: tuple[int, list[int], int | None]) -> tuple[int, int, list[tuple[int, str, bytes]]]:
    """One time slice of traces: (spans, entry spans, bodies); at most `limit` spans."""
    seed, starts, limit = args
    specs = view_traffic.traces(random.Random(seed), starts)[:limit]
    entries = sum(s.kind in view_traffic.ENTRY_KINDS for s in specs)
    return len(specs), entries, [(starts[0], "/v1/traces", body) for body in view_traffic.trace_bodies(specs)]


def build_traffic(target: int, batch: int, window_ns: int, now_ns: int) -> Traffic:
    pilot = view_traffic.traces(random.Random(-1), [now_ns] * 5000)
    per_trace = len(pilot) / 5000
    n_traces = math.ceil(target / per_trace * 1.02)
    first = now_ns - window_ns
    step = (window_ns - MINUTE_NS) // n_traces
    starts = [first + i * step for i in range(n_traces)]
    # About `batch` spans per instance and request, as a BatchSpanProcessor sends them.
    size = max(1, int(batch * sum(view_traffic.INSTANCES.values()) / per_trace))
    # Newest slice first, so the traces the margin leaves over are the oldest ones.
    jobs = [(i, starts[o : o + size], None) for i, o in enumerate(range(0, n_traces, size))][::-1]
    bodies: list[tuple[int, str, bytes]] = []
    spans = entries = 0
    with multiprocessing.Pool(os.cpu_count()) as pool:
        for job, (n, e, b) in zip(jobs, pool.imap(_chunk, jobs), strict=False):
            if spans + n > target:  # the last slice, cut to the exact count
                n, e, b = _chunk((job[0], job[1], target - spans))
            spans, entries = spans + n, entries + e
            bodies += b
            if spans == target:
                break
    if spans < target:
        raise SystemExit(f"generated only {spans} spans")
    points = 0
    rng = random.Random(7)
    minutes = list(range(first // MINUTE_NS + 1, now_ns // MINUTE_NS))
    for service, count in view_traffic.INSTANCES.items():
        for instance in (f"{service}-{i}" for i in range(count)):
            for hour in range(0, len(minutes), 60):
                block = minutes[hour : hour + 60]
                bodies.append((block[0] * MINUTE_NS, "/v1/metrics", view_traffic.runtime_metrics(service, instance, block, rng)))
                points += len(block) * len(view_traffic._RUNTIME)
    bodies.sort(key=lambda b: b[0])
    return Traffic(bodies, spans, entries, points)


# --- ingest -------------------------------------------------------------------


def send_all(view: View, bodies: list[tuple[int, str, bytes]], senders: int) -> None:
    """POST every body from `senders` threads, each on one kept-alive connection."""
    todo: queue.SimpleQueue[tuple[int, str, bytes]] = queue.SimpleQueue()
    for body in bodies:
        todo.put(body)
    url = urlsplit(view.otlp_http)
    failures: list[str] = []

    def sender() -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        while not failures:
            try:
                _, path, body = todo.get_nowait()
            except queue.Empty:
                break
            conn.request("POST", path, body=body, headers={"Content-Type": "application/x-protobuf"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                failures.append(f"{path}: HTTP {resp.status}")
        conn.close()

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"receiver refused a batch: {failures[0]}")


class Api:
    """GETs on one kept-alive connection to the console's server."""

    def __init__(self, base: str) -> None:
        url = urlsplit(base)
        self._conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)

    def get(self, path: str, params: dict[str, object] | None = None) -> tuple[float, bytes]:
        """(seconds until the whole answer was read, body)."""
        target = path + ("?" + urlencode(params) if params else "")
        t0 = time.perf_counter()
        self._conn.request("GET", target)
        resp = self._conn.getresponse()
        body = resp.read()
        elapsed = time.perf_counter() - t0
        if resp.status != 200:
            raise SystemExit(f"GET {target}: HTTP {resp.status}: {body[:300]!r}")
        return elapsed, body

    def json(self, path: str, params: dict[str, object] | None = None) -> object:
        return json.loads(self.get(path, params)[1])

    def close(self) -> None:
        self._conn.close()


def wait_queryable(api: Api, entries: int, timeout: float = 1800) -> None:
    """Until /api/overview over all time counts every request sent."""
    deadline = time.monotonic() + timeout
    counted = -1
    while time.monotonic() < deadline:
        answer = api.json("/api/overview", {"since_ns": 0})
        counted = sum(s["requests"] for s in answer["services"])  # type: ignore[index]
        if counted >= entries:
            return
        time.sleep(0.25)
    raise SystemExit(f"only {counted} of {entries} requests queryable after {timeout} s")


def memory_kib(pid: int) -> dict[str, int]:
    """VmHWM (peak RSS) and VmRSS of a process, in KiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {k: int(fields[k].split()[0]) for k in ("VmHWM", "VmRSS")}


# --- latency ------------------------------------------------------------------


def cases(api: Api) -> Iterator[tuple[str, str, dict[str, object], bool]]:
    """(page, API path, parameters, takes a time range) for everything the pages request."""
    hits = api.json("/api/traces", {"last": "24h", "limit": 200})
    trace_ids = [h["trace_id"] for h in hits]  # type: ignore[union-attr,index]
    yield "overview", "/api/overview", {}, True
    yield "topology", "/api/topology", {}, True
    yield "service", "/api/endpoints", {"service": "gateway"}, True
    yield "service", "/api/endpoints", {"service": "orders"}, True
    yield "dependencies", "/api/dependencies", {"service": "orders"}, True
    yield "traces", "/api/traces", {"limit": 200}, True
    yield "traces", "/api/traces", {"service": "gateway", "status": "error", "limit": 200}, True
    yield "traces", "/api/traces", {"service": "gateway", "endpoint": "/api/orders", "min_duration_ns": 100_000_000, "limit": 200}, True
    yield "traces", "/api/traces", {"service": "users", "endpoint": "/users/{id}", "status": "ok", "limit": 200}, True
    yield "trace", "/api/trace", {"trace_id": trace_ids}, False
    yield "instances", "/api/instances", {}, True
    yield "db", "/api/db_statements", {}, True
    yield "db", "/api/db_statements", {"service": "orders"}, True
    yield "errors", "/api/errors", {}, True
    yield "errors", "/api/errors", {"service": "payments"}, True
    yield "config", "/api/config", {}, True
    yield "config", "/api/config", {"service": "orders"}, False
    yield "alerts", "/api/alerts", {}, False
    yield "alerts", "/api/alerts/events", {"limit": 50}, False


def measure(api: Api, requests: int) -> list[tuple[str, str, str, float, float, int]]:
    """(page, query, range, median ms, p95 ms, rows in the answer) per case and range."""
    results = []
    for page, path, params, ranged in cases(api):
        for last in RANGES if ranged else ("-",):
            times, rows = [], 0
            for i in range(requests + 1):  # the first is a warm-up
                query = {k: (v[i % len(v)] if isinstance(v, list) else v) for k, v in params.items()}
                if ranged:
                    query["last"] = last
                elapsed, body = api.get(path, query)
                answer = json.loads(body)
                rows = len(answer) if isinstance(answer, list) else sum(len(v) for v in answer.values() if isinstance(v, list))
                if i:
                    times.append(elapsed * 1000)
            shown = {k: ("…" if isinstance(v, list) else v) for k, v in params.items()}
            label = path + ("?" + "&".join(f"{k}={v}" for k, v in shown.items()) if shown else "")
            p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
            results.append((page, label, last, statistics.median(times), p95, rows))
            print(f"  {page:<12} {label:<90} {last:>4} median {results[-1][3]:8.1f} ms  p95 {p95:8.1f} ms  rows {rows}", flush=True)
    return results


def static_load(api: Api) -> tuple[int, int, float]:
    """(files, bytes, seconds) to fetch index.html and every script, style and bundle once."""
    files = sorted(
        p.relative_to(CONSOLE_DIR).as_posix()
        for p in CONSOLE_DIR.rglob("*")
        if p.suffix in (".js", ".mjs", ".css") and "node_modules" not in p.parts
    )
    t0 = time.perf_counter()
    size = len(api.get("/")[1]) + sum(len(api.get(f"/static/{f}")[1]) for f in files)
    return len(files) + 1, size, time.perf_counter() - t0


# --- restart ------------------------------------------------------------------


def restart(data: Path, requests: int) -> list[tuple[str, str, str, float, float, int]]:
    """Start `rulec view` on the filled store: print the seconds to its banner, to
    the first 15-minute and the first 24-hour overview; measure every query again."""
    t0 = time.perf_counter()
    with rulec_view(data) as view:
        banner = time.perf_counter() - t0
        api = Api(view.console)
        api.get("/api/overview", {"last": "15m"})
        first = time.perf_counter() - t0
        api.get("/api/overview", {"last": "24h"})
        day = time.perf_counter() - t0
        print(f"restart: banner after {banner:.2f} s, first 15 min overview after {first:.2f} s, "
              f"first 24 h overview after {day:.2f} s", flush=True)  # fmt: skip
        print("latency after the restart:", flush=True)
        results = measure(api, requests)
        api.close()
        stop(view)
    return results


def stop(view: View) -> float:
    """SIGTERM (flush and checkpoint), wait; the seconds it took."""
    t0 = time.perf_counter()
    view.proc.send_signal(signal.SIGTERM)
    view.proc.wait(timeout=600)
    return time.perf_counter() - t0


def print_table(title: str, results: list[tuple[str, str, str, float, float, int]]) -> None:
    print(f"\n{title}")
    by_case: dict[tuple[str, str], dict[str, tuple[float, float, int]]] = {}
    for page, label, last, median, p95, rows in results:
        by_case.setdefault((page, label), {})[last] = (median, p95, rows)
    print("| page | API request | 15 min: median / p95 ms (rows) | 24 h: median / p95 ms (rows) |")
    print("|---|---|---|---|")
    for (page, label), ranges in by_case.items():
        cells = [f"{m:.1f} / {p:.1f} ({r})" for m, p, r in (ranges.get(k) or ranges["-"] for k in RANGES)]
        if "-" in ranges:
            cells = [cells[0], "(no time range)"]
        print(f"| {page} | `{label}` | {cells[0]} | {cells[1]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--senders", type=int, default=4, help="concurrent OTLP/HTTP senders")
    parser.add_argument("--batch", type=int, default=1000, help="spans per export request, about")
    parser.add_argument("--requests", type=int, default=20, help="measured requests per query and range")
    parser.add_argument("--data", type=Path, help="store directory (must not exist); default a temporary one")
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests: at least 2, for a median and a p95")

    with tempfile.TemporaryDirectory(prefix="view-scale-") as scratch:
        data = args.data or Path(scratch) / "data"
        if data.exists():
            raise SystemExit(f"{data} exists: the bench needs a fresh store")
        now_ns = time.time_ns()
        t0 = time.perf_counter()
        traffic = build_traffic(args.spans, args.batch, 86_400 * 10**9 - 10 * MINUTE_NS, now_ns)
        mib = sum(len(b) for _, _, b in traffic.bodies) / 2**20
        print(f"traffic: {traffic.spans} spans ({traffic.entries} requests), {traffic.points} metric points, "
              f"{len(traffic.bodies)} OTLP/HTTP bodies, {mib:.0f} MiB protobuf, "
              f"encoded in {time.perf_counter() - t0:.0f} s", flush=True)  # fmt: skip

        with rulec_view(data) as view:
            api = Api(view.console)
            for rule in ({"metric": "error_rate", "service": "gateway", "threshold": 0.05, "window": "5m"},
                         {"metric": "db_p99_ms", "service": "orders", "threshold": 50, "window": "5m"}):  # fmt: skip
                assert view.call("POST", "/api/alerts", rule)[0] == 200
            assert view.call("PUT", "/api/config?service=orders", {"sampling": {"ratio": 0.5}})[0] == 200
            t0 = time.perf_counter()
            send_all(view, traffic.bodies, args.senders)
            accepted = time.perf_counter() - t0
            wait_queryable(api, traffic.entries)
            queryable = time.perf_counter() - t0
            ingest_mem = memory_kib(view.proc.pid)
            print(f"ingest: {traffic.spans} spans accepted in {accepted:.1f} s ({traffic.spans / accepted:,.0f} spans/s), "
                  f"queryable after {queryable:.1f} s ({traffic.spans / queryable:,.0f} spans/s end to end); "
                  f"view process peak RSS {ingest_mem['VmHWM'] / 1024:.0f} MiB", flush=True)  # fmt: skip

            print(f"latency: {args.requests} requests per query and range, after a warm-up request", flush=True)
            results = measure(api, args.requests)
            files, size, seconds = static_load(api)
            print(f"static console: {files} files, {size / 1024:.0f} KiB in {seconds * 1000:.0f} ms", flush=True)
            mem = memory_kib(view.proc.pid)
            api.close()
            stopped = stop(view)
        print(f"view process: peak RSS {mem['VmHWM'] / 1024:.0f} MiB (RSS now {mem['VmRSS'] / 1024:.0f} MiB); "
              f"SIGTERM to exit (flush, checkpoint) {stopped:.1f} s", flush=True)  # fmt: skip

        con = duckdb.connect(str(data / DB_FILE), read_only=True)
        (stored,) = con.execute("SELECT count(*) FROM spans").fetchone()  # type: ignore[misc]
        (points,) = con.execute("SELECT count(*) FROM metric_points").fetchone()  # type: ignore[misc]
        con.close()
        print(f"store: {stored} spans, {points} metric points, {(data / DB_FILE).stat().st_size / 2**20:.0f} MiB on disk", flush=True)
        if stored != traffic.spans:
            raise SystemExit(f"store holds {stored} spans, {traffic.spans} were sent")

        restarted = restart(data, args.requests)
        print_table("Live, right after the ingest:", results)
        print_table("After a restart on the same store:", restarted)


if __name__ == "__main__":
    main()
