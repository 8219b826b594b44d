"""Planning one build: the rules resolved over its packages, rulec's runtime
joined in, and the plan written into a fresh directory.

Input: a `Request` (what the user asked, settled by the driver) and the
project's go.mod copies. Output: the plan's `Summary`, its files under the
given directory. The go command runs here only to list packages and to
settle go.mod copies; the build itself is the driver's. Imported only when a
plan is made: its stages load textX, networkx and tree-sitter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rulec.compiler import config, exporters, gorelease
from rulec.compiler.gocommand import goargs, graph_cache, module_copies, workspace
from rulec.compiler.golist import Build, go_list
from rulec.compiler.gonames import ImportNames
from rulec.compiler.graph import RuleGraph
from rulec.compiler.plan import Summary
from rulec.compiler.planner import write_plan
from rulec.compiler.resolve import Resolution, resolve, user_hook_packages
from rulec.compiler.timings import stage
from rulec.ruledsl.diagnostics import RuleError
from rulec.ruledsl.load import load_rules
from rulec.ruledsl.model import RUNTIME_MODULE, Plugin


@dataclass(frozen=True)
class Request:
    """One build as the driver settled it."""

    args: goargs.GoArgs
    cwd: str
    env: dict[str, str]
    config: config.Config
    rule_paths: tuple[Path, ...]
    release: gorelease.GoRelease
    gomodcache: str
    cache: Path  # rulec's cache root, for module copies


def _plugins(request: Request) -> list[Plugin]:
    plugins = load_rules(list(request.rule_paths))  # raises RuleError
    request.config.check_disable({p.name for p in plugins})
    return [p for p in plugins if p.name not in request.config.disable]


def _list(request: Request, setup: tuple[list[str], dict[str, str]], extra: list[str] = (), update: bool = False) -> Build:
    """The build's packages, and those of `extra` (the hook packages rulec
    links in) as dependencies; `update` lets the go command complete rulec's
    go.mod copy (requirements that a module the runtime raised, or a
    replacement, brought in)."""
    args = request.args
    flags, env = setup
    flags = [*args.load_flags, *flags, *(["-mod=mod"] if update else [])]
    env = {**request.env, **env}
    # `test` and `vet` compile the packages' tests too; the hook packages'
    # own tests (and what only they import) are none of this build's, so
    # the hooks are listed apart, without -test.
    tests = args.command in ("test", "vet")
    version, cwd = request.release.version, request.cwd
    with stage("go-list"):
        build = go_list([*flags, *(["-test"] if tests else []), *args.list_patterns(), *([] if tests else extra)], version, env, cwd)
        if tests and extra:
            hooks = go_list([*flags, *extra], version, env, cwd)
            for path, pkg in hooks.packages.items():
                build.packages.setdefault(path, pkg)
            build.errors += hooks.errors
            build.names = ImportNames.declared({p.path: p.name for p in build.packages.values()})
    for path in extra:  # the runtime's packages are listed to be seen, not built as roots
        if path in build.packages:
            build.packages[path] = replace(build.packages[path], root=False)
    return build


def std_roots(build: Build) -> list[str]:
    """Standard-library packages named on the command line (`rulec test net/http`)."""
    return sorted(p.path for p in build.roots() if p.standard)


def _resolved(plugins: list[Plugin], build: Build, apps_own: set[str], cfg: config.Config) -> Resolution:
    """The rules resolved over `build`, with only the advice this build takes:
    none on packages rulec.toml excludes; none on module packages only rulec's
    runtime brought in (`apps_own`: the packages of the application's own
    build; grpc, for the OTLP exporter, is not the app's); and none at all
    when a standard-library package is a root, as no package of the user's
    then links the runtime into its binaries (a note says so)."""
    with stage("resolve"):
        res = resolve(RuleGraph(plugins), build)
    res.advice = [a for a in res.advice if not cfg.excludes(a.package)]
    res.advice = [a for a in res.advice if a.package in apps_own or build.packages[a.package].standard]
    if std_roots(build):
        res.advice, res.fields = [], []
    return res


def replan(request: Request, graph_dir: Path, project: workspace.Project, tmp: Path, final: Path) -> Summary | None:
    """The plan over the package graph an earlier plan saved, when the Go
    files changed but not their headers: the rules resolved again against
    the files as they are now. None if there is no such graph, or if the
    new advice reaches a module that the saved graph does not build from a copy."""
    state = graph_cache.load(graph_dir)
    if state is None:
        return None
    res = _resolved(_plugins(request), state.build, state.apps_own, request.config)
    if res.diagnostics:
        raise RuleError(res.diagnostics)
    if not res.advice or module_copies.in_module_cache(state.build, {a.package for a in res.advice}, request.gomodcache):
        return None
    graph_cache.restore(graph_dir, tmp)
    return _finish(request, res, state, project, tmp, final)


def plan(request: Request, project: workspace.Project, tmp: Path, final: Path, graph_dir: Path) -> Summary:
    """The plan from scratch: list, resolve, join the runtime, list and resolve again."""
    with stage("rules"):
        plugins = _plugins(request)
    project.copy(tmp)
    # Hook packages of the user's own are listed with the build's: the
    # application need not import them, rulec links them in.
    hooks = user_hook_packages([r for p in plugins for r in p.rules])
    build = _list(request, project.go_setup(tmp), hooks)
    apps_own = set(build.packages)
    res = _resolved(plugins, build, apps_own, request.config)
    upgraded: list[str] = []
    links: dict[str, str] = {}
    link_notes: list[str] = []
    if res.advice:
        # The runtime joins the build, and with it packages (os/signal...)
        # and maybe newer module versions: resolve again over that build.
        links, link_notes = exporters.linked(apps_own, build.modules(), request.config.exporters)
        hooks = sorted(set(res.graph.hook_packages()) | {RUNTIME_MODULE + "/core"} | set(links))
        with stage("add-runtime"):
            upgraded = project.add_runtime(tmp, hooks, request.env, request.cwd)
        listed: list[str] = []
        while listed != hooks:
            # Packages the runtime brought in (net/http, for its exporter)
            # may get advice too: their hooks are listed in turn. Only
            # standard-library packages can be among them (see _resolved),
            # and their hooks live in the core module, already required.
            listed = hooks
            build = _list(request, project.go_setup(tmp), hooks, update=not project.gowork)
            res = _resolved(plugins, build, apps_own, request.config)
            hooks = sorted(set(hooks) | set(res.graph.hook_packages()))
    if res.diagnostics:
        raise RuleError(res.diagnostics)
    copied = module_copies.in_module_cache(build, {a.package for a in res.advice}, request.gomodcache)
    described = None
    if copied:
        # The overlay cannot reach into the module cache: those modules
        # build from rulec's copies, so list and resolve once more.
        with stage("module-copies"):
            copies = {m: module_copies.ensure_copy(m, module_copies.copies_root(request.cache)) for m in copied}
            project.replace_modules(tmp, copies, request.env, request.cwd)
        build = _list(request, project.go_setup(tmp), hooks, update=not project.gowork)
        res = _resolved(plugins, build, apps_own, request.config)
        described = module_copies.describe(copies, request.gomodcache)
    if res.advice and project.require_all(tmp, build, request.env, request.cwd):
        # The modules now required directly bring their go.mod files'
        # requirements into the pruned graph: list again, so that the go
        # command settles the versions and records their checksums.
        build = _list(request, project.go_setup(tmp), hooks, update=True)
    state = graph_cache.GraphState(build, apps_own, upgraded, described, links, link_notes)
    if res.advice:  # a graph that rulec's runtime joined is worth keeping
        graph_cache.save(graph_dir, state, tmp)
    return _finish(request, res, state, project, tmp, final)


def _finish(
    request: Request, res: Resolution, state: graph_cache.GraphState, project: workspace.Project, tmp: Path, final: Path
) -> Summary:
    with stage("write-plan"):
        summary = write_plan(res, state.build, str(tmp), str(final), state.copies, state.links)
    summary.notes.extend(state.link_notes)
    summary.upgraded = state.upgraded
    summary.build_packages = len(state.build.packages)
    if request.release.untested:
        summary.warnings.insert(0, request.release.warning())
    roots = std_roots(state.build)
    if roots:
        why = "standard-library packages built as roots cannot link rulec's runtime; this build is not instrumented"
        summary.notes.append(f"{', '.join(roots)}: {why}")
    if project.vendor and res.advice:
        summary.notes.append("vendor/ is read by plain go builds only: this build takes the same module versions from the module cache")
    (tmp / "summary.json").write_text(summary.to_json())
    return summary
