"""A mark in the go command's cache key of each advised standard-library package.

The go command refuses -overlay files beneath GOMODCACHE, which is where a
toolchain fetched through GOTOOLCHAIN keeps its GOROOT; so a standard-library
package's generated file reaches its compile through toolexec instead, and
the go command never hashes it. What it does hash is the package's -gcflags:
rulec adds `-gcflags=PKG=<the user's flags for PKG> -rulec.plan=DIGEST` after
the user's own, and toolexec takes the mark off the compile's arguments. An
instrumented package and a plain one so never share a build-cache entry, and
a changed plan rebuilds exactly its packages. The binary's build info
(`go version -m`) records the last -gcflags only, rulec's: the link puts
back what a plain build records (`buildinfo_edit`).

The go command gives a package the flags of the last -gcflags whose pattern
matches it (`go help build`); `for_package` answers as it does, for the
patterns that can name a standard-library package.
"""

from __future__ import annotations

import os
import shlex

from rulec.compiler.gopattern import pattern_regex

MARK = "-rulec.plan="


def user_values(goflags: str, args: list[str]) -> list[str]:
    """Every -gcflags value the go command reads, in its order: GOFLAGS first."""
    values: list[str] = []
    words = shlex.split(goflags) if goflags else []
    for argv in (words, args):
        i = 0
        while i < len(argv):
            arg = argv[i]
            if arg == "-args":
                break
            name, eq, value = arg.lstrip("-").partition("=")
            if arg.startswith("-") and name == "gcflags":
                if not eq and i + 1 < len(argv):
                    value, i = argv[i + 1], i + 1
                values.append(value)
            i += 1
    return values


def _matches(pattern: str, package: str, directory: str, cwd: str) -> bool:
    if pattern in ("all", "std"):
        return True
    if pattern == "cmd":
        return package.startswith("cmd/")
    if pattern.startswith((".", "/")):
        return bool(pattern_regex(os.path.normpath(os.path.join(cwd, pattern))).fullmatch(directory))
    vendored = "vendor/" in package or package.startswith("vendor")
    return bool(pattern_regex(pattern).fullmatch(package)) and (not vendored or "vendor" in pattern)


def for_package(values: list[str], package: str, directory: str, cwd: str) -> list[str]:
    """The flags the go command gives the (non-root) standard package `package`."""
    flags: list[str] = []
    for value in values:
        value = value.strip()
        if not value or value.startswith("-"):
            continue  # no pattern: the packages named on the command line only
        pattern, _, rest = value.partition("=")
        if _matches(pattern.strip(), package, directory, cwd):
            flags = shlex.split(rest)
    return flags


def marked(values: list[str], marks: dict[str, tuple[str, str]], cwd: str) -> list[str]:
    """The -gcflags rulec adds for `marks` (package → (directory, plan digest))."""
    out = []
    for package, (directory, digest) in sorted(marks.items()):
        flags = [*for_package(values, package, directory, cwd), MARK + digest]
        out.append(f"-gcflags={package}={shlex.join(flags)}")
    return out


def unmark(argv: list[str]) -> tuple[list[str], str | None]:
    """The compile's argv without rulec's mark, and the digest it carried."""
    digest = next((a[len(MARK) :] for a in argv if a.startswith(MARK)), None)
    return [a for a in argv if not a.startswith(MARK)], digest


def _setting(key: str, value: str) -> str:
    """A `build` line of runtime/debug.BuildInfo.String, as the link's importcfg
    spells it (%q, for the ASCII text of flags)."""
    if any(c in value for c in " \t\r\n\"`"):
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    line = f"build\t{key}={value}\n"
    return line.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")


def buildinfo_edit(values: list[str], added: list[str]) -> tuple[str, str] | None:
    """(rulec's -gcflags line in the build info, the plain build's, or "")
    for the link to swap; None when rulec added none."""
    if not added:
        return None
    ours = _setting("-gcflags", added[-1].removeprefix("-gcflags="))
    return ours, _setting("-gcflags", values[-1]) if values else ""
