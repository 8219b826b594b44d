"""Stage times of one rulec run, on stderr when RULEC_TIMINGS=1.

Each stage prints `rulec: time STAGE SECONDS` when it ends (a stage that
runs twice prints twice); bench/build_scale.sh adds them up.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

ENABLED = os.environ.get("RULEC_TIMINGS") == "1"


@contextmanager
def stage(name: str) -> Iterator[None]:
    if not ENABLED:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"rulec: time {name} {time.perf_counter() - start:.4f}", file=sys.stderr)
