"""`python -m rulec.view receive`: collect until stopped, print trace trees, then metric names.

Metrics are only summarised, one line per name; the trees stay the main output.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from rulec.view.metrics import format_metric_summary
from rulec.view.receiver import OtlpReceiver
from rulec.view.signals import stop_on_signals
from rulec.view.tree import format_trace_trees

_POLL_SECONDS = 0.1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    stop = stop_on_signals()
    try:
        receiver = OtlpReceiver(args.http_port, args.grpc_port).start()
    except OSError as exc:
        print(f"view: {exc}", file=sys.stderr)
        return 1
    # stderr, so stdout carries nothing but what was received.
    print(
        f"view: OTLP/HTTP on {receiver.http_endpoint}, "
        f"OTLP/gRPC on {receiver.grpc_endpoint}",
        file=sys.stderr,
        flush=True,
    )
    try:
        _wait(receiver, stop, args.until_idle, args.max_seconds)
    finally:
        receiver.stop()
    print(format_trace_trees(receiver.spans()))
    metric_lines = format_metric_summary(receiver.metrics())
    if metric_lines:
        print("\nmetrics:")
        print("\n".join(f"  {line}" for line in metric_lines))
    return 0


def _wait(
    receiver: OtlpReceiver,
    stop: threading.Event,
    until_idle: float | None,
    max_seconds: float | None,
) -> None:
    started = time.monotonic()
    seen, last_change = 0, started
    while not stop.wait(_POLL_SECONDS):
        now = time.monotonic()
        if max_seconds is not None and now - started >= max_seconds:
            return
        # Spans only: periodic metric exports would otherwise keep it from ever idling.
        count = len(receiver.spans())
        if count != seen:
            seen, last_change = count, now
        # Idle time only counts once something arrived: services may start slowly.
        if until_idle is not None and seen and now - last_change >= until_idle:
            return


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rulec.view")
    commands = parser.add_subparsers(dest="command", required=True)
    receive = commands.add_parser("receive", help="receive OTLP traces and metrics, print trees")
    receive.add_argument("--http-port", type=int, default=4318)
    receive.add_argument("--grpc-port", type=int, default=4317)
    receive.add_argument(
        "--until-idle",
        type=float,
        metavar="SECONDS",
        help="stop once no span arrived for this long after the first one",
    )
    receive.add_argument(
        "--max-seconds", type=float, metavar="N", help="stop after this long"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
