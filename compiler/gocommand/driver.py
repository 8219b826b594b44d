"""Drive one `rulec build|test|run|vet`: plan (cached), run go, summarise.

The plan is computed once per distinct input — rules, runtime, Go version,
flags, go.mod/go.sum and the main module's Go files — and kept under rulec's
cache, so an unchanged rebuild goes straight to the go command. Nothing is
ever written into the user's tree: go.mod/go.sum copies, generated files and
the plan live in the cache and reach the go command as -modfile/-overlay.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from compiler import config, exporters, gorelease, packs
from compiler.gocommand import gcflags, goargs, graph_cache, module_copies, shim, workspace
from compiler.golist import Build, GoListError, go_env, go_list
from compiler.paths import BUILDINFO_EDIT_ENV, MARKS_FILE, PLAN_DIR_ENV, RUNTIME_DIR
from compiler.plan import Summary
from compiler.timings import stage
from ruledsl.diagnostics import RuleError
from ruledsl.load import rule_files
from ruledsl.model import RUNTIME_MODULE

if TYPE_CHECKING:  # the planning stages are imported only when a plan is made
    from compiler.resolve import Resolution

_ENV_KEYS = ["GOVERSION", "GOMOD", "GOROOT", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOWORK", "GOMODCACHE"]
# Not part of the plan key: what the toolexec shim is built for (shim.py).
_HOST_KEYS = ["GOHOSTOS", "GOHOSTARCH"]


class BuildError(Exception):
    """rulec cannot build; the message says why and what to do."""


def cache_root() -> Path:
    if os.environ.get("RULEC_CACHE"):
        return Path(os.environ["RULEC_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rulec"


def _tree_digest(root: Path, suffixes: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in suffixes:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _source_signature(module_root: Path) -> str:
    """What the main module's Go files look like, cheaply (names, sizes, mtimes)."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(module_root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d not in ("testdata", "vendor"))
        for name in sorted(filenames):
            if name.endswith(".go"):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _local_replacements(modfile: str, root: Path) -> list[Path]:
    """Directories that go.mod's `replace` directives point at."""
    if not os.path.exists(modfile):
        return []
    text = Path(modfile).read_text()
    if "replace" not in text:  # the common case costs no go command
        return []
    proc = subprocess.run(["go", "mod", "edit", "-json", modfile], capture_output=True, text=True)
    if proc.returncode != 0:
        return []  # the build itself will report the broken go.mod
    dirs = []
    for r in json.loads(proc.stdout).get("Replace") or []:
        new = r["New"]
        if not new.get("Version"):  # a directory, not a module version
            d = (root / new["Path"]).resolve()
            if d.is_dir():
                dirs.append(d)
    return dirs


@dataclass
class Prepared:
    plan_dir: Path
    summary: Summary
    project: workspace.Project


def _only_apps_modules(res: Resolution, build: Build, apps_own: set[str]) -> Resolution:
    """res without advice on module packages only rulec's runtime brought in
    (grpc, for its OTLP exporter): the plugins of a build are the app's."""
    res.advice = [a for a in res.advice if a.package in apps_own or build.packages[a.package].standard]
    return res


def _std_roots(build: Build) -> list[str]:
    """Standard-library packages named on the command line (`rulec test net/http`)."""
    return sorted(p.path for p in build.roots() if p.standard)


def _without_std_roots(res: Resolution, build: Build) -> Resolution:
    """res without any advice when a standard-library package is a root: no
    package of the user's links rulec's runtime into its binaries, so they
    are built as plain go builds them (and a note says so)."""
    if _std_roots(build):
        res.advice, res.fields = [], []
    return res


def _without_excluded(res: Resolution, cfg: config.Config) -> Resolution:
    """res without advice on the packages rulec.toml's `exclude` names."""
    res.advice = [a for a in res.advice if not cfg.excludes(a.package)]
    return res


class Driver:
    def __init__(self, command: str, args: list[str], rule_paths: list[Path], verbose: bool = False, config_path: Path | None = None):
        chdir = goargs.parse(command, args).chdir
        self.cwd = os.path.abspath(chdir) if chdir else os.getcwd()
        # rulec.toml is found from the go command's directory, like go.mod.
        self.config = config.for_build(config_path, Path(self.cwd))
        self.args = goargs.parse(command, [*self.config.flags, *args])
        self.rule_paths = [*rule_paths, *self.config.rule_dirs]
        self.packs: list[packs.ResolvedPack] = []
        self.verbose = verbose
        self.env = dict(os.environ)
        self.goenv: dict[str, str] = {}  # `go env`, once prepare() ran
        self.release: gorelease.GoRelease | None = None  # the build's Go, once prepare() ran
        if "toolexec" in self.args.own:
            raise BuildError("-toolexec cannot be combined with rulec: rulec itself runs as the toolexec of the build")

    # --- planning -------------------------------------------------------

    def _inputs(self, env: dict[str, str], project: workspace.Project, plugins_digest: str) -> str:
        """A digest of everything a plan depends on but the main modules' Go files."""
        h = hashlib.sha256()
        code = Path(__file__).resolve().parent.parent.parent
        for part in (
            _tree_digest(code / "compiler", (".py",)),
            _tree_digest(code / "ruledsl", (".py", ".tx")),
            _tree_digest(Path(RUNTIME_DIR), (".go", ".mod", ".sum")),
            plugins_digest,
            json.dumps(env, sort_keys=True),
            json.dumps([self.args.command, self.args.load_flags, self.args.packages, self.cwd, self.args.own]),
            # Packs need no part of their own: each commit's rules live in a
            # folder of its own, and plugins_digest hashes the rule files' paths.
            f"{self.config.path}\0{self.config.text}",
        ):
            h.update(part.encode())
        for f in project.inputs(self.env, self.cwd):
            h.update(f.read_bytes() if f.exists() else b"-")
        return h.hexdigest()

    def _source_dirs(self, env: dict[str, str], project: workspace.Project) -> list[Path]:
        """Where the Go files whose imports decide the build are: the main
        modules, and the modules they replace with a local directory."""
        return [d for root in project.module_roots(env, self.cwd) for d in [root, *_local_replacements(str(root / "go.mod"), root)]]

    @staticmethod
    def _key(inputs: str, source_dirs: list[Path]) -> str:
        """The plan's key: its inputs and the main modules' Go files as they are (cheaply)."""
        h = hashlib.sha256(inputs.encode())
        for d in source_dirs:
            h.update(_source_signature(d).encode())
        return h.hexdigest()[:24]

    @staticmethod
    def _graph_key(inputs: str, source_dirs: list[Path]) -> str:
        """The package graph's key: the plan's, with only the Go files' names and headers."""
        where = hashlib.sha256("\0".join(map(str, source_dirs)).encode()).hexdigest()[:16]
        signature = graph_cache.import_signature(source_dirs, cache_root() / "graphs" / f"headers-{where}.pickle")
        return hashlib.sha256(f"{inputs}\0{signature}".encode()).hexdigest()[:24]

    def _list(self, go_version: str, setup: tuple[list[str], dict[str, str]], extra: list[str] = (), update: bool = False) -> Build:
        """The build's packages; `update` lets the go command complete rulec's
        go.mod copy (requirements that a module the runtime raised, or a
        replacement, brought in)."""
        flags, env = setup
        flags = [*self.args.load_flags, *flags, *(["-mod=mod"] if update else [])]
        if self.args.command in ("test", "vet"):  # both compile the tests too
            flags.append("-test")
        with stage("go-list"):
            build = go_list([*flags, *self.args.list_patterns(), *extra], go_version, {**self.env, **env}, self.cwd)
        for path in extra:  # the runtime's packages are listed to be seen, not built as roots
            if path in build.packages:
                build.packages[path] = replace(build.packages[path], root=False)
        return build

    def prepare(self) -> Prepared:
        with stage("go-env"):
            env = go_env([*_ENV_KEYS, *_HOST_KEYS], self.env, self.cwd)
        self.goenv = env
        env = {k: env[k] for k in _ENV_KEYS}
        try:
            self.release = gorelease.parse(env["GOVERSION"])
        except gorelease.UnsupportedGo as e:
            raise BuildError(str(e)) from None
        go_version = self.release.version
        project = workspace.Project.find(env, self.args.own.get("modfile"), self.args.mod_flag(), self.cwd)
        if project is None:
            raise BuildError("rulec builds Go modules: no go.mod found here (run `go mod init` first)")
        if project.gowork and "modfile" in self.args.own:
            raise BuildError("-modfile cannot be used in workspace mode (GOWORK is set)")
        if project.vendor:
            self.args.without_mod_flag()
        self.packs = [packs.resolve(p, cache_root()) for p in self.config.packs]
        self.rule_paths = [*self.rule_paths, *(p.rules for p in self.packs)]
        with stage("plan-key"):
            rules = hashlib.sha256()
            for f in rule_files(self.rule_paths):
                rules.update(str(f).encode() + b"\0" + f.read_bytes())
            inputs = self._inputs(env, project, rules.hexdigest())
            source_dirs = self._source_dirs(self.env, project)
            key = self._key(inputs, source_dirs)
        plan_dir = cache_root() / "plans" / key
        if (plan_dir / "summary.json").exists():
            return Prepared(plan_dir, self._with_config_notes(Summary.from_json((plan_dir / "summary.json").read_text())), project)
        plan_dir.parent.mkdir(parents=True, exist_ok=True)
        graph_dir = cache_root() / "graphs" / self._graph_key(inputs, source_dirs)
        tmp = Path(tempfile.mkdtemp(prefix=key + ".", dir=plan_dir.parent))
        try:
            summary = self._replan(graph_dir, project, tmp, plan_dir, env["GOMODCACHE"])
            if summary is None:
                summary = self._plan(go_version, project, tmp, plan_dir, env["GOMODCACHE"], graph_dir)
            try:
                tmp.rename(plan_dir)
            except OSError:  # another build wrote the same plan first
                shutil.rmtree(tmp, ignore_errors=True)
            return Prepared(plan_dir, self._with_config_notes(summary), project)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    def _with_config_notes(self, summary: Summary) -> Summary:
        """summary, saying which rulec.toml and pack commits this build used:
        added per build, not cached, as an unreachable pack repository is
        news of this build only."""
        notes = [f"config: {self.config.path}"] if self.config.path else []
        if self.config.disable:
            notes.append(f"plugins disabled by the config: {', '.join(self.config.disable)}")
        for p in self.packs:
            notes.extend(p.notes())
        summary.notes = [*notes, *summary.notes]
        return summary

    def explain(self, e: RuleError) -> list[str]:
        """The rule diagnostics as lines, each rule pack's named."""
        return packs.explain(e.diagnostics, self.packs)

    def _plugins(self) -> list:
        # The planning stages load textX, networkx and tree-sitter: imported
        # where used so that a build whose plan is cached never pays for them.
        from ruledsl.load import load_rules

        plugins = load_rules(self.rule_paths)  # raises RuleError
        self.config.check_disable({p.name for p in plugins})
        return [p for p in plugins if p.name not in self.config.disable]

    def _replan(self, graph_dir: Path, project: workspace.Project, tmp: Path, final: Path, gomodcache: str) -> Summary | None:
        """The plan over the package graph an earlier plan saved, when the Go
        files changed but not their headers: the rules resolved again against
        the files as they are now. None if there is no such graph, or if the
        new advice reaches a module that the saved graph does not build from a copy."""
        state = graph_cache.load(graph_dir)
        if state is None:
            return None
        from compiler.graph import RuleGraph
        from compiler.resolve import resolve

        build = state.build
        with stage("resolve"):
            res = _only_apps_modules(resolve(RuleGraph(self._plugins()), build), build, state.apps_own)
            res = _without_std_roots(_without_excluded(res, self.config), build)
        if res.diagnostics:
            raise RuleError(res.diagnostics)
        if not res.advice or module_copies.in_module_cache(build, {a.package for a in res.advice}, gomodcache):
            return None
        graph_cache.restore(graph_dir, tmp)
        return self._finish(res, state, project, tmp, final)

    def _finish(self, res: Resolution, state: graph_cache.GraphState, project: workspace.Project, tmp: Path, final: Path) -> Summary:
        from compiler.planner import write_plan

        with stage("write-plan"):
            summary = write_plan(res, state.build, str(tmp), str(final), state.copies, state.links)
        summary.notes.extend(state.link_notes)
        summary.upgraded = state.upgraded
        if self.release is not None and self.release.untested:
            summary.warnings.insert(0, self.release.warning())
        std_roots = _std_roots(state.build)
        if std_roots:
            why = "standard-library packages built as roots cannot link rulec's runtime; this build is not instrumented"
            summary.notes.append(f"{', '.join(std_roots)}: {why}")
        if project.vendor and res.advice:
            summary.notes.append("vendor/ is read by plain go builds only: this build takes the same module versions from the module cache")
        (tmp / "summary.json").write_text(summary.to_json())
        return summary

    def _plan(self, go_version: str, project: workspace.Project, tmp: Path, final: Path, gomodcache: str, graph_dir: Path) -> Summary:
        from compiler.graph import RuleGraph
        from compiler.resolve import resolve, user_hook_packages

        with stage("rules"):
            plugins = self._plugins()
            graph = RuleGraph(plugins)
        project.copy(tmp)
        # Hook packages of the user's own are listed with the build's: the
        # application need not import them, rulec links them in.
        user_hooks = user_hook_packages(graph.rules())
        build = self._list(go_version, project.go_setup(tmp), user_hooks)
        with stage("resolve"):
            res = _without_std_roots(_without_excluded(resolve(graph, build), self.config), build)
        apps_own = set(build.packages)
        upgraded: list[str] = []
        links: list[str] = []
        link_notes: list[str] = []
        if res.advice:
            # The runtime joins the build, and with it packages (os/signal...)
            # and maybe newer module versions: resolve again over that build.
            links, link_notes = exporters.linked(apps_own, build.modules(), self.config.exporters)
            hooks = sorted(set(graph.hook_packages()) | {RUNTIME_MODULE + "/core"} | set(links))
            with stage("add-runtime"):
                upgraded = project.add_runtime(tmp, hooks, self.env, self.cwd)
            listed: list[str] = []
            while listed != hooks:
                # Packages the runtime brought in (net/http, for its exporter)
                # may get advice too: their hooks are listed in turn. Only
                # standard-library packages can be among them (_only_apps_modules),
                # and their hooks live in the core module, already required.
                listed = hooks
                graph = RuleGraph(plugins)
                build = self._list(go_version, project.go_setup(tmp), hooks, update=not project.gowork)
                with stage("resolve"):
                    res = _without_excluded(_only_apps_modules(resolve(graph, build), build, apps_own), self.config)
                hooks = sorted(set(hooks) | set(graph.hook_packages()))
        if res.diagnostics:
            raise RuleError(res.diagnostics)
        copied = module_copies.in_module_cache(build, {a.package for a in res.advice}, gomodcache)
        described = None
        if copied:
            # The overlay cannot reach into the module cache: those modules
            # build from rulec's copies, so list and resolve once more.
            with stage("module-copies"):
                copies = {m: module_copies.ensure_copy(m, module_copies.copies_root(cache_root())) for m in copied}
                project.replace_modules(tmp, copies, self.env, self.cwd)
            build = self._list(go_version, project.go_setup(tmp), hooks, update=not project.gowork)
            with stage("resolve"):
                res = _without_excluded(_only_apps_modules(resolve(RuleGraph(plugins), build), build, apps_own), self.config)
            described = module_copies.describe(copies, gomodcache)
        if res.advice and project.require_all(tmp, build, self.env, self.cwd):
            # The modules now required directly bring their go.mod files'
            # requirements into the pruned graph: list again, so that the go
            # command settles the versions and records their checksums.
            build = self._list(go_version, project.go_setup(tmp), hooks, update=True)
        state = graph_cache.GraphState(build, apps_own, upgraded, described, links, link_notes)
        if res.advice:  # a graph that rulec's runtime joined is worth keeping
            graph_cache.save(graph_dir, state, tmp)
        return self._finish(res, state, project, tmp, final)

    # --- running --------------------------------------------------------

    def go_command(self, prepared: Prepared) -> tuple[list[str], dict[str, str]]:
        extra: list[str] = []
        plan_dir = prepared.plan_dir
        if prepared.summary.packages:
            overlay = plan_dir / "overlay.json"
            if "overlay" in self.args.own:
                overlay = self._merge_overlay(plan_dir, self.args.own["overlay"])
            with stage("toolexec-shim"):
                toolexec = shlex.join(shim.toolexec_argv(cache_root(), self.goenv, self.env))
            flags, setup_env = prepared.project.go_setup(plan_dir)
            extra = [*flags, f"-overlay={overlay}", f"-toolexec={toolexec}"]
            marks = json.loads((plan_dir / MARKS_FILE).read_text())
            users = gcflags.user_values(self.env.get("GOFLAGS", ""), self.args.build_flags())
            last = gcflags.marked(users, marks, self.cwd)
            edit = gcflags.buildinfo_edit(users, last)
            if edit:
                setup_env = {**setup_env, BUILDINFO_EDIT_ENV: json.dumps(edit)}
        else:
            extra, setup_env, last = [f"-{k}={v}" for k, v in self.args.own.items()], {}, []
        env = {**self.env, **setup_env}
        env[PLAN_DIR_ENV] = str(plan_dir)
        return self.args.go_argv(extra, last), env

    def _merge_overlay(self, plan_dir: Path, user_overlay: str) -> Path:
        ours = json.loads((plan_dir / "overlay.json").read_text())["Replace"]
        theirs = json.loads(Path(self.cwd, user_overlay).read_text()).get("Replace", {})
        clash = set(ours) & set(theirs)
        if clash:
            raise BuildError(f"-overlay replaces {sorted(clash)[0]}, which rulec generates")
        fd, path = tempfile.mkstemp(prefix="overlay.", suffix=".json", dir=plan_dir)
        with os.fdopen(fd, "w") as f:
            json.dump({"Replace": {**theirs, **ours}}, f)
        return Path(path)


def report(summary: Summary, verbose: bool, out=sys.stderr) -> None:
    n = len(summary.packages)
    plugins = ", ".join(summary.plugins) or "none"
    print(f"rulec: instrumented {n} package{'s' * (n != 1)}, {summary.joinpoints} join points (plugins: {plugins})", file=out)
    for line in summary.upgraded:
        print(f"rulec: the runtime raised {line} in this build (your go.mod is unchanged)", file=out)
    for warning in summary.warnings:
        print(f"rulec: WARNING: {warning}", file=out)
    for note in summary.notes:
        print(f"rulec: note: {note}", file=out)
    for rule, pos, why, version_skip in summary.inactive:
        if version_skip:
            print(f"rulec: WARNING: rule {rule} SKIPPED: {why} ({pos})", file=out)
    if verbose:
        for pkg, funcs in sorted(summary.packages.items()):
            for f in funcs:
                print(f"rulec:   {pkg}.{f}", file=out)
        for rule, _, why, version_skip in summary.inactive:
            if not version_skip:
                print(f"rulec:   inactive {rule}: {why}", file=out)


def run(command: str, args: list[str], rule_paths: list[Path], verbose: bool, config_path: Path | None = None) -> int:
    try:
        with stage("prepare"):
            driver = Driver(command, args, rule_paths, verbose, config_path)
            prepared = driver.prepare()
            argv, env = driver.go_command(prepared)
    except (BuildError, GoListError, goargs.GoArgsError, config.ConfigError, packs.PackError) as e:
        print(f"rulec: {e}", file=sys.stderr)
        return 2
    except RuleError as e:
        for line in driver.explain(e):  # only prepare() raises RuleError
            print(line, file=sys.stderr)
        print("rulec: the rules above cannot apply to this build; nothing was built", file=sys.stderr)
        return 2
    if verbose:
        print("rulec: " + shlex.join(argv), file=sys.stderr)
    if command == "run":  # the program runs in the foreground: report first, then become go
        report(prepared.summary, verbose)
        sys.stderr.flush()
        os.chdir(driver.cwd)
        os.execvpe(argv[0], argv, env)
    with stage("go-command"):
        proc = subprocess.Popen(argv, env=env, cwd=driver.cwd)
        # The go command gets the terminal's signals itself; rulec just waits.
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            code = proc.wait()
        finally:
            signal.signal(signal.SIGINT, old)
    if code == 0:
        report(prepared.summary, verbose)
    return code
