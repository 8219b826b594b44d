"""`on callsite PKG.Func`: advice around every call of the function in the
application's own packages. The function itself is not rewritten: each
calling package gets a wrapper in its generated file, its calls go there,
and the advice goes into the wrapper."""

from __future__ import annotations

import os
from pathlib import Path

from rulec.compiler import gosource
from rulec.compiler.golist import Build, Package
from rulec.compiler.gonames import ImportNames
from rulec.compiler.joinpoints.base import register
from rulec.compiler.joinpoints.call import Call
from rulec.compiler.plan import CallSite
from rulec.compiler.resolve.advice import GENERATED_FILE, Advice, FieldAdvice, Hook
from rulec.compiler.resolve.fitting import fitted_advice
from rulec.compiler.resolve.functions import parse_file
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import FuncTarget, Rule


@register
class CallSiteKind(Call):
    keyword = "callsite"

    def advise(
        self, rule: Rule, pkg: Package, build: Build, before: Hook | None, after: Hook | None, diags: list[Diagnostic]
    ) -> list[Advice | FieldAdvice]:
        target = rule.joinpoint.func
        found = self.target(rule, pkg.dir, pkg.go_files, pkg.path, build.names)
        if isinstance(found, Diagnostic):
            diags.append(found)
            return []
        decl = found[1]
        unnameable = [p.type for p in (*decl.params, *decl.results) if _unexported_in(p.canonical, pkg.path)]
        if unnameable:
            why = f"{target} has parameters or results of unexported types ({', '.join(unnameable)}), which its callers cannot name"
            diags.append(Diagnostic(rule.joinpoint.pos, "unknown-target", why))
            return []
        out: list[Advice | FieldAdvice] = []
        site = CallSite(target.package, target.name, f"__rulec_cs_{rule.plugin}_{rule.name}", pkg.name)
        for caller in build.packages.values():
            if pkg.path not in caller.imports or not _applications(caller):
                continue
            files = tuple(f for f in caller.go_files if _calls(os.path.join(caller.dir, f), caller.path, target, build.names))
            if files:
                advice = fitted_advice(rule, caller, GENERATED_FILE, decl, before, after, diags, site, files)
                if advice is not None:
                    out.append(advice)
        return out

    def unmatched(self, rule: Rule) -> str:
        return f"no package of the application calls {rule.joinpoint.target}"


def _applications(pkg: Package) -> bool:
    """Whether the package is the application's own code (the main module or
    a local replacement), where call-site rules rewrite calls."""
    return pkg.module is not None and not pkg.module.version


def _unexported_in(canonical: str, package: str) -> bool:
    prefix = "{" + package + "}."
    i = canonical.find(prefix)
    while i >= 0:
        name = canonical[i + len(prefix) :]
        if name[:1].islower() or name[:1] == "_":
            return True
        i = canonical.find(prefix, i + 1)
    return False


def _calls(path: str, package_path: str, target: FuncTarget, names: ImportNames) -> bool:
    parsed = parse_file(path, package_path, names)
    local = next((name for name, imp in parsed.imports.items() if imp == target.package), None)
    return local is not None and bool(gosource.call_sites(Path(path).read_bytes(), local, target.name))
