"""Hook discovery: the Go functions a rule's `before`/`after` name.

rulec's own hooks are read from runtime-go/ as installed with rulec; a
user's hook packages from the build's (or `rulec check`'s) listing.
"""

from __future__ import annotations

from pathlib import Path

from rulec.compiler import gosource
from rulec.compiler.golist import Package
from rulec.compiler.gonames import GUESSED, ImportNames
from rulec.compiler.paths import RUNTIME_DIR
from rulec.compiler.resolve.advice import Hook
from rulec.compiler.resolve.functions import find_function
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import RUNTIME_MODULE, FuncTarget, HookRef, Rule


def runtime_dir() -> Path:
    """runtime-go/ as installed with rulec."""
    return Path(RUNTIME_DIR)


def is_runtime(package: str) -> bool:
    return package == RUNTIME_MODULE or package.startswith(RUNTIME_MODULE + "/")


def hook_dir(ref: HookRef, packages: dict[str, Package] | None = None) -> Path | None:
    """Where the hook's package is: runtime-go/ for rulec's own, else the
    build's (or `rulec check`'s) listing of the user's hook packages."""
    if is_runtime(ref.package):
        return runtime_dir() / ref.package[len(RUNTIME_MODULE) + 1 :]
    pkg = (packages or {}).get(ref.package)
    return Path(pkg.dir) if pkg is not None and pkg.dir else None


def find_hook(ref: HookRef, packages: dict[str, Package] | None = None, names: ImportNames = GUESSED) -> gosource.FuncDecl | None:
    d = hook_dir(ref, packages)
    if d is None or not d.is_dir():
        return None
    pkg = (packages or {}).get(ref.package)
    if pkg is not None and not is_runtime(ref.package):
        files = pkg.go_files
    else:
        files = tuple(p.name for p in d.glob("*.go") if not p.name.endswith("_test.go"))
    found = find_function(str(d), files, ref.package, FuncTarget(ref.package, ref.name), names)
    return found[1] if found else None


def user_hook_packages(rules: list[Rule]) -> list[str]:
    """The hook packages the rules name outside rulec's runtime: the build
    lists them along with the application's own packages."""
    return sorted({h.package for r in rules for h in (r.before, r.after) if h is not None and not is_runtime(h.package)})


def find_hooks(
    rule: Rule, packages: dict[str, Package] | None = None, names: ImportNames = GUESSED
) -> tuple[Hook | None, Hook | None, list[Diagnostic]]:
    """The rule's before and after hooks, and a diagnostic for each one
    missing; `names` what the hook files call their unaliased imports."""
    out: list[Hook | None] = []
    diags = []
    for ref in (rule.before, rule.after):
        pkg = (packages or {}).get(ref.package) if ref is not None else None
        if pkg is not None and pkg.standard and not is_runtime(ref.package):
            # The linker refuses pull references into the standard library.
            why = f"hook {ref} is in the standard library; hooks live in rulec's runtime, the main module or a module go.mod requires"
            diags.append(Diagnostic(ref.pos, "unknown-hook", why))
            out.append(None)
            continue
        decl = find_hook(ref, packages, names) if ref is not None else None
        if ref is not None and (decl is None or decl.recv_type is not None):
            where = hook_dir(ref, packages)
            if where is not None:
                detail = f"in runtime-go ({where})" if is_runtime(ref.package) else f"in {where}"
            else:
                detail = f"(package {ref.package} is not in this build: hooks live in the main module or a module go.mod requires)"
            diags.append(Diagnostic(ref.pos, "unknown-hook", f"hook {ref} does not exist {detail}"))
            decl = None
        out.append(Hook(ref, decl) if ref is not None and decl is not None else None)
    return out[0], out[1], diags
