"""The Go release a build runs with, and what rulec does with it.

rulec is tested with Go 1.25 to 1.27, every patch release, however the go
command was got (on PATH, or a toolchain fetched through GOTOOLCHAIN). A
newer release is not refused: every rule is resolved against its real
source, what no longer fits is left out and named, and the build goes on
(`untested`). A release older than 1.25 is refused with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TESTED = ((1, 25), (1, 27))  # the oldest and newest Go release rulec is tested with
_RELEASE = re.compile(r"\bgo(\d+)\.(\d+)(?:\.(\d+))?(rc\d+|beta\d+)?")


class UnsupportedGo(Exception):
    """A Go release rulec cannot build with; the message says why."""


@dataclass(frozen=True)
class GoRelease:
    version: str  # comparable with rule ranges: "1.27.3", "1.28.0-rc1"
    minor: tuple[int, int]

    @property
    def untested(self) -> bool:
        return self.minor > TESTED[1]

    def warning(self) -> str:
        lo, hi = (f"{a}.{b}" for a, b in TESTED)
        return (
            f"Go {self.version} is newer than rulec is tested with ({lo} to {hi}): every rule was resolved against "
            "its source and what does not fit it is left out (listed below); the build is otherwise as usual"
        )


def tested_range() -> str:
    lo, hi = (f"{a}.{b}" for a, b in TESTED)
    return f"{lo} to {hi}"


def parse(goversion: str) -> GoRelease:
    """The release `go env GOVERSION` names ("go1.27.3", "go1.28rc1",
    "go1.26.8 X:nodwarf5", "devel go1.28-abcdef ..."), or UnsupportedGo."""
    m = _RELEASE.search(goversion)
    if not m:
        raise UnsupportedGo(f"rulec cannot tell which Go release {goversion.strip()!r} is; it supports Go {tested_range()} and newer")
    major, minor, patch, pre = m.groups()
    release = GoRelease(f"{major}.{minor}.{patch or 0}" + (f"-{pre}" if pre else ""), (int(major), int(minor)))
    if release.minor < TESTED[0]:
        raise UnsupportedGo(
            f"rulec supports Go {tested_range()} (and newer, untested); this is {goversion.strip()}. "
            "Build with a newer Go (GOTOOLCHAIN=go1.25.0 or later fetches one) or use plain `go`."
        )
    return release
