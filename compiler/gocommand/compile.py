"""Rewrite the Go files of one planned `compile` and return its new argv.

The rewritten copies go next to the compile's output in the go command's
own work directory ($WORK/bNNN/rulec/), which it removes after the build;
nothing is written anywhere else. A file that cannot take its advice stops
the build with the reason: rulec never builds a package silently without
the advice its plan promised.
"""

from __future__ import annotations

import json
import os
import site
import sys

site.main()  # toolexec runs Python with -S; the rewriter needs tree-sitter

from rulec.compiler.gocommand import gcflags  # noqa: E402
from rulec.compiler.plan import PackagePlan  # noqa: E402
from rulec.compiler.rewrite.rewriter import RewriteError, rewrite_file  # noqa: E402


def _planned_name(base: str) -> str:
    # The compile may get another tool's output for X.go: the cover tool's
    # X.cover.go (go test -cover) or cgo's X.cgo1.go (import "C").
    for generated in (".cover.go", ".cgo1.go"):
        if base.endswith(generated):
            return base[: -len(generated)] + ".go"
    return base


def _load(plan_file: str) -> PackagePlan:
    with open(plan_file) as f:
        return PackagePlan.from_json(f.read())


def _rewrite_files(files: list[str], plan: PackagePlan, package: str, out_dir: str) -> list[str]:
    """`files` with each planned one replaced by its rewritten copy in out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    new = list(files)
    done = set()
    for i, arg in enumerate(files):
        base = _planned_name(os.path.basename(arg))
        if not arg.endswith(".go") or base not in plan.planned_files:
            continue
        path = os.path.abspath(arg)
        try:
            with open(path, "rb") as f:
                source = f.read()
            rewritten = rewrite_file(
                source, plan.files.get(base, ()), plan.import_path, path, plan.fields.get(base, ()), plan.call_sites.get(base, ())
            )
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


def rewrite_args(argv: list[str], plan_file: str, package: str) -> list[str]:
    """The compile's argv, with the planned files rewritten."""
    plan = _load(plan_file)
    if plan.generated:
        argv = _with_generated(argv, plan, package)
    try:
        out_dir = os.path.join(os.path.dirname(argv[argv.index("-o") + 1]), "rulec")
    except (ValueError, IndexError):
        sys.exit(f"rulec: compile of {package} has no -o; cannot instrument it")
    new = _rewrite_files(argv, plan, package, out_dir)
    if plan.dir_rewrite:
        new = _add_trimpath(new, *plan.dir_rewrite)
    return new


def _with_generated(argv: list[str], plan: PackagePlan, package: str) -> list[str]:
    """A standard-library compile with its generated file added (no overlay
    can add it: gcflags.py). The go command keyed this compile's cache entry
    on the plan mark in its -gcflags; without that very mark the entry would
    be a plain build's, so the build stops rather than mix the two."""
    argv, digest = gcflags.unmark(argv)
    if digest != plan.digest:
        sys.exit(
            f"rulec: cannot instrument {package}: its compile lacks rulec's mark {gcflags.MARK}{plan.digest} "
            f"(found {digest or 'none'}); a -gcflags given after rulec's may have replaced it"
        )
    path, stands_for = plan.generated
    # Named in the output as the go command names an overlay file: as the
    # file it stands for, after the compile's own -trimpath rewrites.
    return _add_trimpath([*argv, path], path, _trimmed(argv, stands_for))


def _trimmed(argv: list[str], path: str) -> str:
    """`path` after the first of the compile's -trimpath rewrites that applies."""
    rules = argv[argv.index("-trimpath") + 1].split(";") if "-trimpath" in argv[:-1] else []
    for rule in rules:
        old, sep, new = rule.partition("=>")
        if sep and (path == old or path.startswith(old + os.sep)):
            return new + path[len(old) :] if new else path[len(old) + 1 :]
    return path


def rewrite_vet_config(argv: list[str], plan_file: str, package: str) -> list[str]:
    """vet's argv, its config naming the rewritten files: vet checks the
    package as it is compiled (the generated file may use what the rewrite
    adds, such as a struct field)."""
    cfg_path = argv[-1]
    with open(cfg_path) as f:
        cfg = json.load(f)
    out_dir = os.path.join(os.path.dirname(cfg_path), "rulec")
    plan = _load(plan_file)
    files = cfg.get("GoFiles") or []
    if plan.generated:
        # The go command did not see the generated file, nor so its one
        # import of its own: unsafe, which needs no export data.
        files = [*files, plan.generated[0]]
        cfg["ImportMap"] = {**(cfg.get("ImportMap") or {}), "unsafe": "unsafe"}
    cfg["GoFiles"] = _rewrite_files(files, plan, package, out_dir)
    edited = os.path.join(out_dir, "vet.cfg")
    with open(edited, "w") as f:
        json.dump(cfg, f)
    return [*argv[:-1], edited]


def _add_trimpath(argv: list[str], old: str, new: str) -> list[str]:
    """argv with a -trimpath rewrite of `old` to `new` after the go command's
    own: file paths under rulec's copy of a module name the module cache, as
    a plain build's do. The compiler applies the first rewrite that matches,
    so the go command's own (under -trimpath) still win."""
    rule = f"{old}=>{new}"
    if "-trimpath" not in argv[:-1]:
        return [argv[0], "-trimpath", rule, *argv[1:]]
    i = argv.index("-trimpath") + 1
    return [*argv[:i], f"{argv[i]};{rule}" if argv[i] else rule, *argv[i + 1 :]]
