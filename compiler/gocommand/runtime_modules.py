"""rulec's runtime as Go modules: which of them a build needs.

runtime-go/ is the core module (rulec.dev/runtime: the OTel SDK setup,
OTLP/HTTP, the shared helpers and the standard library's hooks); each
plugin with a library of its own (plugins/gin, ...) and each optional
exporter (exporters/otlpgrpc, exporters/prometheus) is a module of its own
that requires that library at the oldest version the plugin supports. A
build requires the core and the modules of the hook packages it links, and
nothing else, so MVS only ever sees what the binary uses; a plugin applies
only at or above its oldest version, so its module never raises the
application's library.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rulec.compiler.paths import RUNTIME_DIR
from rulec.ruledsl.model import RUNTIME_MODULE


@dataclass(frozen=True)
class GoMod:
    path: str  # the module path
    dir: Path
    go: str  # its go line
    requires: dict[str, str]  # module → version, as its go.mod lists them (pruned: all it needs)


def _read(gomod: Path) -> GoMod:
    """The few go.mod facts rulec needs, from the file's own syntax (module,
    go and require directives, one-line or blocked; comments ignored)."""
    path, go, requires, block = "", "", {}, False
    for raw in gomod.read_text().splitlines():
        words = raw.split("//", 1)[0].split()
        if not words:
            continue
        if block:
            if words == [")"]:
                block = False
            elif len(words) >= 2:
                requires[words[0]] = words[1]
        elif words[0] == "module" and len(words) > 1:
            path = words[1].strip('"')
        elif words[0] == "go" and len(words) > 1:
            go = words[1]
        elif words[0] == "require":
            if words[1:] == ["("]:
                block = True
            elif len(words) >= 3:
                requires[words[1]] = words[2]
    return GoMod(path, gomod.parent, go, requires)


@cache
def modules() -> dict[str, GoMod]:
    """Every runtime module, by module path."""
    found = (_read(gomod) for gomod in sorted(Path(RUNTIME_DIR).rglob("go.mod")) if "testdata" not in gomod.parts)
    return {m.path: m for m in found}


def module_of(package: str) -> str:
    """The runtime module that holds `package` (the longest path prefix)."""
    owners = [m for m in modules() if package == m or package.startswith(m + "/")]
    return max(owners, key=len) if owners else RUNTIME_MODULE


def needed(packages: list[str]) -> list[GoMod]:
    """The runtime modules that `packages` (hook or exporter packages) need:
    their own, the core, and the runtime modules those require."""
    wanted = {RUNTIME_MODULE, *(module_of(p) for p in packages)}
    stack = list(wanted)
    while stack:
        for dep in modules()[stack.pop()].requires:
            if dep in modules() and dep not in wanted:
                wanted.add(dep)
                stack.append(dep)
    return [modules()[m] for m in sorted(wanted)]


def sums() -> list[Path]:
    """The go.sum files of every runtime module."""
    return [m.dir / "go.sum" for m in modules().values() if (m.dir / "go.sum").exists()]
