"""The user's go arguments, read the way the go command reads them.

rulec passes them on unchanged; it only needs to know which are packages
(to plan for them), which flags change what gets compiled (to give `go list`
the same view), and which flags it must merge with its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

# go build/test/run flags that take a value (go help build, go help testflag).
VALUE_FLAGS = frozenset(
    """C o p asmflags buildmode buildvcs compiler gccgoflags gcflags installsuffix ldflags mod modfile
    overlay pgo pkgdir tags toolexec exec covermode coverpkg coverprofile cpuprofile memprofile
    memprofilerate blockprofile blockprofilerate mutexprofile mutexprofilefraction outputdir trace
    run skip bench benchtime count cpu parallel timeout list shuffle vet fuzz fuzztime fuzzminimizetime
    fullpath vettool""".split()
)
# Flags that change which packages and files a build compiles.
LOAD_FLAGS = frozenset("tags mod race msan asan cover coverpkg pgo buildmode".split())
# Flags rulec sets itself; the user's value is merged in, or refused.
OWN_FLAGS = frozenset("modfile overlay toolexec".split())


class GoArgsError(ValueError):
    pass


@dataclass
class GoArgs:
    command: str  # build | test | run | vet
    flags: list[str] = field(default_factory=list)  # everything but OWN_FLAGS, in order
    packages: list[str] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)  # after the packages: test flags or program args
    own: dict[str, str] = field(default_factory=dict)  # user's -modfile/-overlay/-toolexec
    load_flags: list[str] = field(default_factory=list)
    chdir: str | None = None

    def mod_flag(self) -> str | None:
        """The -mod value the user gave (on the command line or in GOFLAGS)."""
        value = None
        for flag in [*os.environ.get("GOFLAGS", "").split(), *self.flags]:
            if flag.startswith("-mod="):
                value = flag.split("=", 1)[1]
        return value

    def without_mod_flag(self) -> GoArgs:
        """These arguments without -mod: rulec sets it for its own go.mod copy (vendor builds)."""
        return replace(
            self,
            flags=[f for f in self.flags if not f.startswith("-mod=")],
            load_flags=[f for f in self.load_flags if not f.startswith("-mod=")],
        )

    def list_patterns(self) -> list[str]:
        """What `go list` must load: the packages, or `.` as the go command defaults to."""
        return self.packages or ["."]

    def go_argv(self, extra: list[str], last: list[str] = ()) -> list[str]:
        """The go command line with rulec's `extra` flags in front, and its
        `last` flags after every build flag of the user's (go test reads
        build flags after the packages too, up to -args)."""
        # -C is not passed on: rulec runs the go command in that directory.
        if self.command != "test" or not last:
            return ["go", self.command, *extra, *self.flags, *last, *self.packages, *self.rest]
        end = self.rest.index("-args") if "-args" in self.rest else len(self.rest)
        return ["go", self.command, *extra, *self.flags, *self.packages, *self.rest[:end], *last, *self.rest[end:]]

    def build_flags(self) -> list[str]:
        """The user's flags the go command reads as its own (for go test, those after the packages too)."""
        return [*self.flags, *(self.rest if self.command == "test" else [])]


def parse(command: str, args: list[str]) -> GoArgs:
    out = GoArgs(command)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--" and not out.packages:
            i += 1
            continue
        if out.packages and (command == "run" or not arg.startswith("-")):
            if command == "run" and not (arg.endswith(".go") and all(p.endswith(".go") for p in out.packages)):
                out.rest = args[i:]  # the program's own arguments
                break
        if not arg.startswith("-") or arg == "-":
            out.packages.append(arg)
            i += 1
            continue
        name, eq, value = arg.lstrip("-").partition("=")
        taken = [arg]
        if name in VALUE_FLAGS and not eq:
            if i + 1 >= len(args):
                raise GoArgsError(f"flag needs an argument: {arg}")
            value = args[i + 1]
            taken.append(value)
        i += len(taken)
        if name == "mod":
            taken = [f"-mod={value}"]  # one spelling, so rulec can find and replace it
        if name == "C":
            out.chdir = value
        elif name in OWN_FLAGS:
            out.own[name] = value
        else:
            (out.rest if out.packages else out.flags).extend(taken)
            if name in LOAD_FLAGS:
                out.load_flags.extend(taken)
    return out
