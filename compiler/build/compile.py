"""Rewrite the Go files of one planned `compile` and return its new argv.

The rewritten copies go next to the compile's output in the go command's
own work directory ($WORK/bNNN/rulec/), which it removes after the build;
nothing is written anywhere else. A file that cannot take its advice stops
the build with the reason: rulec never builds a package silently without
the advice its plan promised.
"""

from __future__ import annotations

import os
import site
import sys

site.main()  # toolexec runs Python with -S; the rewriter needs tree-sitter

from compiler.plan import PackagePlan  # noqa: E402
from compiler.rewrite.rewriter import RewriteError, rewrite_file  # noqa: E402


def _planned_name(base: str) -> str:
    # The compile may get another tool's output for X.go: the cover tool's
    # X.cover.go (go test -cover) or cgo's X.cgo1.go (import "C").
    for generated in (".cover.go", ".cgo1.go"):
        if base.endswith(generated):
            return base[: -len(generated)] + ".go"
    return base


def rewrite_args(argv: list[str], plan_file: str, package: str) -> list[str]:
    with open(plan_file) as f:
        plan = PackagePlan.from_json(f.read())
    try:
        out_dir = os.path.join(os.path.dirname(argv[argv.index("-o") + 1]), "rulec")
    except (ValueError, IndexError):
        sys.exit(f"rulec: compile of {package} has no -o; cannot instrument it")
    os.makedirs(out_dir, exist_ok=True)
    new = list(argv)
    done = set()
    for i, arg in enumerate(argv):
        base = _planned_name(os.path.basename(arg))
        if not arg.endswith(".go") or base not in plan.planned_files:
            continue
        path = os.path.abspath(arg)
        try:
            with open(path, "rb") as f:
                source = f.read()
            rewritten = rewrite_file(source, plan.files.get(base, ()), plan.import_path, path, plan.fields.get(base, ()))
        except (OSError, RewriteError) as e:
            sys.exit(f"rulec: cannot instrument {package}: {e}")
        target = os.path.join(out_dir, os.path.basename(arg))
        with open(target, "wb") as f:
            f.write(rewritten)
        new[i] = target
        done.add(base)
    missing = plan.planned_files - done
    if missing:
        sys.exit(f"rulec: cannot instrument {package}: planned file(s) {', '.join(sorted(missing))} not in this compile")
    return new
