"""The alert loop: evaluates every rule every few seconds, records state changes
and hands them to a webhook sender thread, so a slow or dead webhook never
delays an evaluation."""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import urllib.request
from typing import Any

import duckdb

from rulec.view import alerts
from rulec.view.db import ViewDb

EVAL_SECONDS = 2.0
WEBHOOK_TIMEOUT_S = 5.0


class Alerter:
    def __init__(self, db: ViewDb, webhook: str | None) -> None:
        self._db = db
        self._webhook = webhook
        self._stop = threading.Event()
        self._outbox: queue.SimpleQueue[tuple[str, dict[str, Any]] | None] = queue.SimpleQueue()
        self._failing: set[str] = set()  # webhooks whose failure was logged; logged again after a success
        self._threads = [
            threading.Thread(target=self._evaluate_forever, name="view-alerts", daemon=True),
            threading.Thread(target=self._send_forever, name="view-webhooks", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(WEBHOOK_TIMEOUT_S + 1)

    def _evaluate_forever(self) -> None:
        while not self._stop.wait(EVAL_SECONDS):
            con = self._db.reader()
            try:
                self.evaluate(con, time.time_ns())
            except duckdb.Error as exc:
                # A rule changed under us, say: the next round sees the new state.
                print(f"rulec view: alerts: {exc}", file=sys.stderr)
            finally:
                con.close()

    def evaluate(self, con: duckdb.DuckDBPyConnection, now_ns: int) -> None:
        for rule in alerts.rules(con):
            value = alerts.measure(con, rule, now_ns)
            state = "firing" if value is not None and value > rule["threshold"] else "ok"
            event = alerts.record(con, rule, state, value, now_ns)
            url = rule["webhook"] or self._webhook
            if event is not None and url:
                self._outbox.put((url, {**event, "rule": {k: v for k, v in rule.items() if k not in ("state", "value", "evaluated_ns")}}))

    def _send_forever(self) -> None:
        while (item := self._outbox.get()) is not None:
            url, payload = item
            req = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=WEBHOOK_TIMEOUT_S):
                    self._failing.discard(url)
            except (OSError, ValueError) as exc:
                if url not in self._failing:
                    self._failing.add(url)
                    print(f"rulec view: webhook {url}: {exc} (further failures not logged until it answers)", file=sys.stderr)
