"""From resolved advice to a plan directory the build and toolexec read.

Input: a `Resolution` and the build's packages. Output (see compiler/plan.py
for the layout): one PackagePlan per advised package, the generated Go file
each advised or root package gets, the -overlay file mapping them in, and a
summary. Nothing here runs the go command.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rulec.compiler import code_identity, goroutine_context, trampoline
from rulec.compiler.gocommand import runtime_modules
from rulec.compiler.golist import Build, Package
from rulec.compiler.paths import MARKS_FILE, MODINFO_FILE, overlay_folder, package_file
from rulec.compiler.plan import CallSite, FieldEdit, FuncEdit, HookCall, ModuleCopies, PackagePlan, Summary
from rulec.compiler.resolve import CORE_PACKAGE, GENERATED_FILE, Advice, FieldAdvice, Resolution
from rulec.ruledsl.model import RUNTIME_MODULE, Rule

# For a root with tests but no other Go file, so that its test binary links the runtime.
GENERATED_TEST_FILE = "zz_rulec_generated_test.go"
# For a root whose hooks import it: its tests link them from an external test file.
HOOKS_TEST_FILE = "zz_rulec_hooks_test.go"
def func_edits(advice: list[Advice]) -> dict[str, tuple[FuncEdit, ...]]:
    """The rewriter's edits per file, advice on one function in rule order."""
    by_func: dict[tuple[str, str | None, str], list[Advice]] = defaultdict(list)
    for a in advice:
        by_func[a.func_key].append(a)
    files: dict[str, list[FuncEdit]] = defaultdict(list)
    for (file, recv, name), items in sorted(by_func.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
        files[file].append(FuncEdit(recv, name, tuple(_hook_call(a) for a in items)))
    return {f: tuple(e) for f, e in files.items()}


def _hook_call(a: Advice) -> HookCall:
    values = a.values
    entry = a.rule.entry
    return HookCall(
        rule=a.rule.id,
        before=trampoline.wrapper_name(a, "before") if a.before else None,
        before_args=a.before_args,
        state=a.state,
        after=trampoline.wrapper_name(a, "after") if a.after else None,
        after_args=a.after_args,
        attrs=trampoline.wrapper_name(a, "attrs") if values and values.attrs else None,
        start_attrs=values.start if values else (),
        end_attrs=values.end if values else (),
        error=values.error if values else None,
        entry=(entry.code, f"{os.path.abspath(entry.pos.file)}:{entry.pos.line}:{entry.pos.col}") if entry else None,
    )


def _field_edits(fields: list[FieldAdvice]) -> dict[str, tuple[FieldEdit, ...]]:
    out: dict[str, list[FieldEdit]] = defaultdict(list)
    for f in fields:
        for spec in f.fields:
            pos = f"{os.path.abspath(spec.pos.file)}:{spec.pos.line}:{spec.pos.col}"
            out[f.file].append(FieldEdit(f.type_name, f"{spec.name} {spec.type}", pos))
    return {file: tuple(edits) for file, edits in out.items()}


def _call_site_edits(advice: list[Advice]) -> dict[str, tuple[CallSite, ...]]:
    out: dict[str, list[CallSite]] = defaultdict(list)
    for a in advice:
        if a.site is not None:
            for file in a.site_files:
                out[file].append(a.site)
    return {file: tuple(sites) for file, sites in out.items()}


def _root_imports(pkg: Package, hook_packages: list[str], hook_deps: dict[str, set[str]]) -> tuple[list[str], list[str]]:
    """The hook packages a root imports so that every binary links them: in
    its generated file, and in an external test file for those that import
    the root themselves (a user's hooks on their own package: importing
    them from the package would be a cycle, its tests may). `hook_deps`:
    each hook package's dependencies (_dependencies)."""
    direct, in_tests = [], []
    for hook in hook_packages:
        if hook == pkg.path:
            continue
        (in_tests if pkg.path in hook_deps[hook] else direct).append(hook)
    return direct, in_tests if pkg.test_package else []


def _dependencies(build: Build, start: str) -> set[str]:
    """`start` and every package of the build it imports, directly or not.
    Computed once per hook package, not once per root and hook: a build of
    ./... has a root per package."""
    seen, stack = set(), [start]
    while stack:
        path = stack.pop()
        if path not in seen and path in build.packages:
            seen.add(path)
            stack.extend(i for i in build.packages[path].imports if i not in seen)
    return seen


def write_plan(
    res: Resolution,
    build: Build,
    plan_dir: str,
    final_dir: str,
    copies: ModuleCopies | None = None,
    links: dict[str, str] | None = None,
) -> Summary:
    """Write the plan for `res` under `plan_dir`, naming files as they will be
    once `plan_dir` is renamed to `final_dir`; return what it does. `copies`
    are the modules built from rulec's copies (module_copies); `links`, the
    runtime's optional exporter packages the build links, and why (exporters.py)."""
    links = links or {}
    os.makedirs(os.path.join(plan_dir, "packages"), exist_ok=True)
    os.makedirs(os.path.join(plan_dir, "overlay"), exist_ok=True)
    by_pkg: dict[str, list[Advice]] = defaultdict(list)
    for a in res.advice:
        by_pkg[a.package].append(a)
    fields_by_pkg: dict[str, list[FieldAdvice]] = defaultdict(list)
    for f in res.fields:
        fields_by_pkg[f.package].append(f)
    # Linked: the hooks of the rules that advise something here. An active
    # plugin with nothing to advise (gRPC's status codes without its server)
    # adds no packages to the build.
    advising = {a.rule.id: a.rule for a in res.advice}.values()
    hook_packages = sorted(set(res.graph.hook_packages(advising)) | {CORE_PACKAGE} | set(links)) if res.advice else []
    roots = {p.path: p for p in build.roots() if not p.standard and (p.go_files or p.test_package)}
    version = code_identity.digest()  # rulec's code that rewrites and generates: a change rebuilds every advised package
    overlay: dict[str, str] = {}
    summary = Summary(plugins=res.graph.plugins_of(a.rule for a in res.advice))
    marks: dict[str, tuple[str, str]] = {}  # standard package → (directory, digest): see gcflags.py
    bridge = _goroutine_context(build, hook_packages, summary)
    hook_deps = {hook: _dependencies(build, hook) for hook in hook_packages} if roots else {}
    bindings = _bindings(res.advice)
    for link in links if hook_packages else []:
        summary.notes.append(f"exporter {link.rsplit('/', 1)[1]} linked: the application uses its library, or rulec.toml asks for it")
    if bridge:
        if goroutine_context.RUNTIME in by_pkg:
            raise ValueError("rules advising package runtime itself are not supported")
        runtime = build.packages[goroutine_context.RUNTIME]
        marks[runtime.path] = (runtime.dir, _write_runtime_bridge(runtime, version, plan_dir, final_dir))

    for path in sorted(set(by_pkg) | set(fields_by_pkg) | (set(roots) if hook_packages else set())):
        pkg = build.packages[path]
        advice = by_pkg.get(path, [])
        edits = func_edits(advice)
        fields = _field_edits(fields_by_pkg.get(path, []))
        sites = _call_site_edits(advice)
        blank, test_blank = _root_imports(pkg, hook_packages, hook_deps) if path in roots else ([], [])
        if test_blank and pkg.go_files:
            overlay.update(_write_hooks_test_file(pkg, test_blank, plan_dir, final_dir))
        shape = PackagePlan(path, "", edits, fields, call_sites=sites).to_json()
        body = json.dumps({"v": version, "edits": shape, "blank": blank})
        digest = hashlib.sha256(body.encode()).hexdigest()[:16]
        test_only = not pkg.go_files
        atomic = not pkg.standard or "sync/atomic" in pkg.imports
        root = path in roots  # roots are planned only where the build links hooks
        go_name = pkg.test_package if test_only else pkg.name
        text = trampoline.generate(path, go_name, advice, blank, digest, bridge and root, atomic, root, bindings if root else ())
        name = GENERATED_TEST_FILE if test_only else GENERATED_FILE
        generated = _generated_path(plan_dir, path, name)
        Path(plan_dir, generated).write_text(text)
        generated_pair = (os.path.join(final_dir, generated), os.path.join(pkg.dir, name))
        if pkg.standard:
            # The go command hashes an overlay file's text, but never this
            # one's: the mark stands for it, text included (hook signatures
            # come from the runtime's source, not the plan).
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            marks[path] = (pkg.dir, digest)
        else:
            overlay[generated_pair[1]] = generated_pair[0]
        if edits or fields:
            plan = PackagePlan(path, digest, edits, fields, _dir_rewrite(pkg, copies), sites, generated_pair if pkg.standard else None)
            Path(package_file(plan_dir, path)).write_text(plan.to_json())
            summary.packages[path] = [f"{e.label()}: {', '.join(c.rule for c in e.calls)}" for es in edits.values() for e in es]
            summary.packages[path] += [f"struct {f.type_name}: {f.decl}" for fs in fields.values() for f in fs]
            summary.joinpoints += sum(len(e.calls) for es in edits.values() for e in es) + sum(len(fs) for fs in fields.values())

    _write_copy_plans(build, copies, by_pkg, plan_dir)
    summary.inactive = [(r.id, str(r.pos), why, skip) for r, why, skip in res.graph.inactive_rules()]
    for r in res.graph.absent_rules():
        summary.absent.setdefault(r.plugin, []).append(r.id)
    summary.runtime = _runtime_linked(res, advising, hook_packages, links)
    Path(plan_dir, "overlay.json").write_text(json.dumps({"Replace": overlay}, indent=1, sort_keys=True))
    Path(plan_dir, MARKS_FILE).write_text(json.dumps(marks, indent=1, sort_keys=True))
    Path(plan_dir, "summary.json").write_text(summary.to_json())
    return summary


def _runtime_linked(res: Resolution, advising: Iterable[Rule], hook_packages: list[str], links: dict[str, str]) -> list[str]:
    """The runtime modules the build links, each as "module: why"."""
    owners: dict[str, set[str]] = defaultdict(set)  # runtime module → plugins whose hooks it holds
    for rule in advising:
        for hook in res.graph.hook_packages([rule]):
            if hook.startswith(RUNTIME_MODULE + "/"):  # not a user's hook package
                owners[runtime_modules.module_of(hook)].add(rule.plugin)
    exporter_why = {runtime_modules.module_of(p): why for p, why in links.items()}
    lines = []
    for module in runtime_modules.needed(hook_packages) if hook_packages else []:
        hooks = f"hooks of {', '.join(sorted(owners[module.path]))}" if owners[module.path] else ""
        if module.path in exporter_why:
            why = exporter_why[module.path]
        elif module.path == RUNTIME_MODULE:
            why = "the OTel SDK setup and OTLP/HTTP export" + (f"; {hooks}" if hooks else "")
        else:
            why = hooks or "required by another runtime module"
        lines.append(f"{module.path}: {why}")
    return lines


def _bindings(advice: list[Advice]) -> tuple[tuple[str, str], ...]:
    """(plugin, hook package) for every plugin whose advice calls a hook
    package: the package's own switch (core.PackageSwitch) follows them."""
    pairs = {(a.rule.plugin, h.ref.package) for a in advice for h in (a.before, a.after) if h is not None}
    return tuple(sorted((plugin, pkg) for plugin, pkg in pairs if pkg != CORE_PACKAGE))


def _write_hooks_test_file(pkg: Package, imports: list[str], plan_dir: str, final_dir: str) -> dict[str, str]:
    text = f"// Code generated by rulec for {pkg.path}'s tests; DO NOT EDIT.\n\npackage {pkg.name}_test\n\nimport (\n"
    text += "".join(f'\t_ "{path}"\n' for path in imports) + ")\n"
    generated = _generated_path(plan_dir, pkg.path, HOOKS_TEST_FILE)
    Path(plan_dir, generated).write_text(text)
    return {os.path.join(pkg.dir, HOOKS_TEST_FILE): os.path.join(final_dir, generated)}


def _goroutine_context(build: Build, hook_packages: list[str], summary: Summary) -> bool:
    """Whether the build gets the goroutine-context edit of package runtime:
    where it links rulec's runtime, and the release's runtime source matches
    the edit's anchors (else it is left out, with a warning)."""
    runtime = build.packages.get(goroutine_context.RUNTIME)
    if not hook_packages or runtime is None:
        return False
    why = goroutine_context.misfit(runtime.dir)
    if why:
        summary.warnings.append(
            f"goroutine context left out ({why}): goroutines started without the request's context do not join its trace"
        )
        return False
    summary.notes.append("goroutine context: runtime.g carries the trace context, inherited at every go statement")
    return True


def _write_runtime_bridge(runtime: Package, version: str, plan_dir: str, final_dir: str) -> str:
    """Write the runtime package's plan and generated file; return the plan's digest."""
    digest = hashlib.sha256((version + goroutine_context.runtime_plan("").to_json()).encode()).hexdigest()[:16]
    generated = _generated_path(plan_dir, runtime.path, GENERATED_FILE)
    Path(plan_dir, generated).write_text(goroutine_context.runtime_file(digest))
    pair = (os.path.join(final_dir, generated), os.path.join(runtime.dir, GENERATED_FILE))
    Path(package_file(plan_dir, runtime.path)).write_text(goroutine_context.runtime_plan(digest, pair).to_json())
    return digest


def _generated_path(plan_dir: str, package: str, name: str) -> str:
    # The compile matches planned files by base name, so a generated file
    # keeps the name it has in the package (overlay/log.go would pass for
    # package log's own log.go); one folder per package keeps them apart.
    folder = overlay_folder(package)
    os.makedirs(os.path.join(plan_dir, folder), exist_ok=True)
    return os.path.join(folder, name)


def _dir_rewrite(pkg: Package, copies: ModuleCopies | None) -> tuple[str, str] | None:
    if copies is None or pkg.module is None or pkg.module.path not in copies.dirs:
        return None
    copy, origin = copies.dirs[pkg.module.path]
    return copy, origin


def _write_copy_plans(build: Build, copies: ModuleCopies | None, advised: dict[str, list[Advice]], plan_dir: str) -> None:
    """Plans for the unadvised packages of copied modules (their paths are
    mapped back), and the build-info edits for the link."""
    if copies is None:
        return
    for path, pkg in build.packages.items():
        rewrite = _dir_rewrite(pkg, copies)
        if rewrite and path not in advised:
            Path(package_file(plan_dir, path)).write_text(PackagePlan(path, "", dir_rewrite=rewrite).to_json())
    Path(plan_dir, MODINFO_FILE).write_text(json.dumps(copies.modinfo))
