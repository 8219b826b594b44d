"""`ViewDb`: the DuckDB file behind `rulec view`, fed in batches by one writer thread.

Durability: receiver threads only enqueue converted records; the writer thread
owns the one writing connection and commits whatever is queued every
`FLUSH_SECONDS` (0.2 s), one transaction per flush. DuckDB writes a committed
transaction to its write-ahead log before returning, so a killed process loses
at most the records received in the last flush interval (well under the one
second `rulec view` promises); a restart replays the log. `close()` drains the
queue, commits and checkpoints.

Backpressure: while more than `MAX_QUEUED_ROWS` rows wait for the writer, a
new batch is refused with `StoreBusy`, which the receivers turn into OTLP's
"retry later"; so a burst faster than the writer neither grows memory without
bound nor stretches what a killed process would lose.

Readers never share the writer's connection: `reader()` hands out a cursor
(its own connection to the same database) per query.
"""

from __future__ import annotations

import queue
import re
import sys
import threading
import time
from pathlib import Path

import duckdb

from rulec.view import alerts, config, queries
from rulec.view.metrics import MetricPoint
from rulec.view.rows import METRIC_COLUMNS, SPAN_COLUMNS, metric_row, span_row
from rulec.view.spans import Span
from rulec.view.store import StoreBusy

FLUSH_SECONDS = 0.2
MAX_QUEUED_ROWS = 20_000  # about two seconds of the writer's pace
DB_FILE = "view.duckdb"
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spans (
    trace_id VARCHAR NOT NULL,
    span_id VARCHAR NOT NULL,
    parent_span_id VARCHAR,
    service VARCHAR,
    instance VARCHAR,
    name VARCHAR,
    kind VARCHAR,
    start_ns BIGINT NOT NULL,
    duration_ns BIGINT NOT NULL,
    status VARCHAR,
    status_message VARCHAR,
    endpoint VARCHAR,
    http_route VARCHAR,
    http_method VARCHAR,
    http_status INTEGER,
    rpc_service VARCHAR,
    rpc_method VARCHAR,
    db_system VARCHAR,
    db_statement VARCHAR,
    server_address VARCHAR,
    peer VARCHAR,
    error_type VARCHAR,
    scope VARCHAR,
    attributes JSON,
    events JSON,
    resource JSON
);
-- trace() looks spans up by trace id; the time filters rely on DuckDB's
-- per-row-group min/max, which arrival order keeps tight for start_ns.
CREATE INDEX IF NOT EXISTS spans_trace ON spans (trace_id);
CREATE TABLE IF NOT EXISTS metric_points (
    service VARCHAR,
    instance VARCHAR,
    name VARCHAR NOT NULL,
    kind VARCHAR,
    unit VARCHAR,
    time_ns BIGINT NOT NULL,
    start_ns BIGINT,
    value DOUBLE,
    count BIGINT,
    sum DOUBLE,
    temporality VARCHAR,
    attributes JSON,
    resource JSON
);
"""


class DataInUse(Exception):
    """Another process, most often another `rulec view`, holds the store's lock."""


class ViewDb:
    """Open (creating) `data_dir/view.duckdb`; rows older than `retention_s` are deleted."""

    def __init__(
        self, data_dir: Path, retention_s: float, max_queued_rows: int = MAX_QUEUED_ROWS, flush_seconds: float = FLUSH_SECONDS
    ) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_FILE
        self.retention_s = retention_s
        self._root = _connect(data_dir, self.path)
        self._root.execute(_SCHEMA + queries.SCHEMA + config.SCHEMA + alerts.SCHEMA)
        self._root_lock = threading.Lock()
        self._writer = self._root.cursor()
        self._queue: queue.SimpleQueue[tuple[str, list[tuple[object, ...]]]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._flushed = threading.Condition()
        self._enqueued = 0
        self._written = 0
        self._queued_rows = 0
        self._max_queued_rows = max_queued_rows
        self._flush_seconds = flush_seconds
        # Batches DuckDB refused; reported on stderr, counted for tests.
        self.dropped_batches = 0
        # A tenth of the retention, so a tiny test retention is enforced promptly.
        self._prune_every = min(60.0, retention_s / 10)
        self._thread = threading.Thread(target=self._run, name="view-db-writer", daemon=True)
        self._thread.start()

    def add_spans(self, spans: list[Span]) -> None:
        self._enqueue("spans", [span_row(s) for s in spans])

    def add_metrics(self, points: list[MetricPoint]) -> None:
        self._enqueue("metric_points", [metric_row(p) for p in points])

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A connection of the caller's own; close it when done."""
        with self._root_lock:
            return self._root.cursor()

    def flush(self, timeout: float = 10) -> None:
        """Wait until everything enqueued so far is committed (or dropped, see `dropped_batches`)."""
        with self._flushed:
            target = self._enqueued
            if not self._flushed.wait_for(lambda: self._written >= target, timeout):
                raise TimeoutError("view store did not flush in time")

    def close(self) -> None:
        """Commit what is queued, checkpoint, close."""
        self._stop.set()
        self._thread.join()
        self._writer.close()
        with self._root_lock:
            self._root.execute("CHECKPOINT")
            self._root.close()

    def _enqueue(self, table: str, rows: list[tuple[object, ...]]) -> None:
        if not rows:
            return
        with self._flushed:
            # An empty queue takes any batch: a big one must not be refused forever.
            if self._queued_rows and self._queued_rows + len(rows) > self._max_queued_rows:
                raise StoreBusy(f"{self._queued_rows} rows wait for the store; retry later")
            self._enqueued += 1
            self._queued_rows += len(rows)
            self._queue.put((table, rows))

    def _run(self) -> None:
        last_prune = 0.0
        while True:
            stopping = self._stop.wait(self._flush_seconds)
            self._write_queued()
            if time.monotonic() - last_prune >= self._prune_every:
                try:
                    self._prune()
                except duckdb.Error as exc:
                    print(f"rulec view: retention: {exc}", file=sys.stderr)
                last_prune = time.monotonic()
            if stopping:
                return

    def _write_queued(self) -> None:
        batches: list[tuple[str, list[tuple[object, ...]]]] = []
        while True:
            try:
                batches.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if not batches:
            return
        try:
            self._commit(batches)
        except duckdb.Error:
            # One request's bad batch must not take the others down: retry alone.
            for batch in batches:
                try:
                    self._commit([batch])
                except duckdb.Error as exc:
                    self.dropped_batches += 1
                    print(f"rulec view: dropped {len(batch[1])} {batch[0]} row(s): {exc}", file=sys.stderr)
        with self._flushed:
            self._written += len(batches)
            self._queued_rows -= sum(len(rows) for _, rows in batches)
            self._flushed.notify_all()

    def _commit(self, batches: list[tuple[str, list[tuple[object, ...]]]]) -> None:
        # One statement per table: a statement's fixed cost is worth sharing
        # (a third less time per span at 10,000 rows than at 1,000).
        by_table: dict[str, list[tuple[object, ...]]] = {}
        for table, rows in batches:
            by_table.setdefault(table, []).extend(rows)
        cur = self._writer
        cur.begin()
        try:
            for table, rows in by_table.items():
                _insert(cur, table, SPAN_COLUMNS if table == "spans" else METRIC_COLUMNS, rows)
            cur.commit()
        except duckdb.Error:
            cur.rollback()
            raise

    def _prune(self) -> None:
        cutoff = time.time_ns() - int(self.retention_s * 1e9)
        self._writer.execute("DELETE FROM spans WHERE start_ns < ?", [cutoff])
        self._writer.execute("DELETE FROM metric_points WHERE time_ns < ?", [cutoff])
        self._writer.execute("DELETE FROM alert_events WHERE time_ns < ?", [cutoff])


def _connect(data_dir: Path, path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "Could not set lock" not in str(exc):
            raise
        raise DataInUse(f"the data folder {data_dir} is in use by {_lock_holder(str(exc))}") from None


def _lock_holder(message: str) -> str:
    """The process DuckDB's lock error names ("Conflicting lock is held in
    /usr/bin/python3 (PID 4242)"), else just "another process"."""
    m = _LOCK_HOLDER.search(message)
    return f"process {m['pid']} ({m['program']})" if m else "another process"


def _insert(cur: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """One statement, one list parameter per column: binding a list is some twenty
    times faster than binding the same values row by row (executemany, VALUES)."""
    values = ", ".join(f"unnest(${i})" for i in range(1, len(columns) + 1))
    cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values}", [list(col) for col in zip(*rows, strict=True)])
