"""The -toolexec entry the go command runs for every tool invocation.

Pass-through is the common case and must stay cheap: no third-party import,
one stat to learn whether the package is planned, then exec of the real
tool. `-V=full` is answered by the real tool unchanged, so packages rulec
does not advise share Go's build cache with plain `go build`; advised ones
differ by the generated file the overlay adds, whose text carries the plan.

Run as `python -S toolexec.py TOOL ARGS...` (no site import on this path).
"""

import os
import sys


def _overlaid(argv: list[str]) -> list[str]:
    """`go test -cover` hands the cover tool the names of overlay files, which
    exist only in the overlay; give it the files that hold their text. The
    planner writes a package's generated files to overlay/<package>/ in the
    plan dir: looked for there first, so that a call does not read the
    whole overlay, which names a file per root package."""
    missing = [i for i, a in enumerate(argv) if a.endswith(".go") and not os.path.exists(a)]
    plan_dir = os.environ.get("RULEC_PLAN_DIR")
    if not missing or not plan_dir:
        return argv
    from rulec.compiler.paths import overlay_folder

    package = os.environ.get("TOOLEXEC_IMPORTPATH", "").split(" ", 1)[0]
    own = os.path.join(plan_dir, overlay_folder(package))
    out = list(argv)
    for i in missing:
        generated = os.path.join(own, os.path.basename(argv[i]))
        if package and os.path.exists(generated):
            out[i] = generated
    missing = [i for i in missing if out[i] == argv[i]]
    if not missing:
        return out
    import json

    with open(os.path.join(plan_dir, "overlay.json")) as f:
        replace = json.load(f)["Replace"]
    for i in missing:
        out[i] = replace.get(os.path.abspath(argv[i]), argv[i])
    return out


def _build_info(argv: list[str]) -> list[str]:
    """The build info (`go version -m`) reads as a plain build's: modules built
    from rulec's copies, and the build's -gcflags (compiler/gocommand/gcflags.py).
    The link gets an edited importcfg."""
    import json

    from rulec.compiler.paths import BUILDINFO_EDIT_ENV, MODINFO_FILE, PLAN_DIR_ENV

    plan_dir = os.environ.get(PLAN_DIR_ENV)
    edits_file = os.path.join(plan_dir, MODINFO_FILE) if plan_dir else ""
    edits = []
    if edits_file and os.path.exists(edits_file):
        with open(edits_file) as f:
            edits = json.load(f)
    if os.environ.get(BUILDINFO_EDIT_ENV):
        edits.append(json.loads(os.environ[BUILDINFO_EDIT_ENV]))
    if not edits or "-importcfg" not in argv[:-1]:
        return argv
    i = argv.index("-importcfg") + 1
    with open(argv[i]) as f:
        text = f.read()
    for old, new in edits:
        text = text.replace(old, new)
    edited = argv[i] + ".rulec"  # beside it, in the go command's $WORK
    with open(edited, "w") as f:
        f.write(text)
    return [*argv[:i], edited, *argv[i + 1 :]]


def main() -> None:
    argv = sys.argv[1:]
    if not argv:
        sys.exit("rulec toolexec: no tool to run")
    tool = argv[0]
    name = os.path.basename(tool).split(".")[0]
    # rulec's own modules, for the tools that need them (imported lazily).
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if name == "cover" and "-V=full" not in argv:
        argv = _overlaid(argv)
    elif name == "link" and "-V=full" not in argv:
        argv = _build_info(argv)
    elif (name == "compile" and "-V=full" not in argv) or (name == "vet" and argv[-1].endswith(".cfg")):
        # vet checks a planned package as it is compiled: rewritten.
        from rulec.compiler.paths import PLAN_DIR_ENV, package_file

        plan_dir = os.environ.get(PLAN_DIR_ENV)
        package = os.environ.get("TOOLEXEC_IMPORTPATH", "").split(" ", 1)[0]
        planned = package_file(plan_dir, package) if plan_dir and package else ""
        if planned and os.path.exists(planned):
            from rulec.compiler.gocommand.compile import rewrite_args, rewrite_vet_config

            argv = (rewrite_args if name == "compile" else rewrite_vet_config)(argv, planned, package)
    os.execv(tool, argv)


if __name__ == "__main__":
    main()
