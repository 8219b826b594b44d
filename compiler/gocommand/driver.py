"""Drive one `rulec build|test|run|vet`: settle the request, get its plan
(from rulec's cache, or made by planning.py), run the go command, report.

Nothing is ever written into the user's tree: go.mod/go.sum copies,
generated files and the plan live in rulec's cache and reach the go command
as -modfile/-overlay, with rulec's shim as -toolexec.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from rulec.compiler import config, gorelease, packs
from rulec.compiler.gocommand import gcflags, goargs, plan_cache, progress, shim, workspace
from rulec.compiler.gocommand.plan_cache import cache_root
from rulec.compiler.golist import GoListError, go_env
from rulec.compiler.messages import error_line
from rulec.compiler.paths import BUILDINFO_EDIT_ENV, MARKS_FILE, PLAN_DIR_ENV
from rulec.compiler.plan import Summary
from rulec.compiler.timings import stage
from rulec.ruledsl.diagnostics import RuleError
from rulec.ruledsl.load import rule_files

_ENV_KEYS = ["GOVERSION", "GOMOD", "GOROOT", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOWORK", "GOMODCACHE"]
# Not part of the plan key: what the toolexec shim is built for (shim.py),
# and where Go's build cache is (progress.py).
_HOST_KEYS = ["GOHOSTOS", "GOHOSTARCH", "GOCACHE"]


class BuildError(Exception):
    """rulec cannot build; the message says why and what to do."""


@dataclass
class Prepared:
    plan_dir: Path
    summary: Summary
    project: workspace.Project
    args: goargs.GoArgs  # the user's arguments as the go command gets them
    goenv: dict[str, str]  # `go env` of the build, host keys included


class Driver:
    def __init__(
        self,
        command: str,
        args: list[str],
        rule_paths: list[Path],
        verbose: bool = False,
        config_path: Path | None = None,
        cwd: str | None = None,
    ):
        chdir = goargs.parse(command, args).chdir
        self.cwd = os.path.abspath(chdir) if chdir else cwd or os.getcwd()
        # rulec.toml is found from the go command's directory, like go.mod.
        self.config = config.for_build(config_path, Path(self.cwd))
        self.args = goargs.parse(command, [*self.config.flags, *args])
        self.packs = [packs.resolve(p, cache_root()) for p in self.config.packs]
        self.rule_paths = (*rule_paths, *self.config.rule_dirs, *(p.rules for p in self.packs))
        self.verbose = verbose
        self.env = dict(os.environ)
        if "toolexec" in self.args.own:
            raise BuildError("-toolexec cannot be combined with rulec: rulec itself runs as the toolexec of the build")

    # --- planning -------------------------------------------------------

    def _inputs(self, env: dict[str, str], project: workspace.Project, args: goargs.GoArgs) -> str:
        """A digest of everything a plan depends on but the main modules' Go files."""
        rules = hashlib.sha256()
        for f in rule_files(list(self.rule_paths)):
            rules.update(str(f).encode() + b"\0" + f.read_bytes())
        parts = (
            rules.hexdigest(),
            json.dumps(env, sort_keys=True),
            json.dumps([args.command, args.load_flags, args.packages, self.cwd, args.own]),
            # Packs need no part of their own: each commit's rules live in a
            # folder of its own, and the rules' digest hashes their paths.
            f"{self.config.path}\0{self.config.text}",
        )
        return plan_cache.inputs_digest(parts, project.inputs(self.env, self.cwd))

    def _source_dirs(self, project: workspace.Project) -> list[Path]:
        """Where the Go files whose imports decide the build are: the main
        modules, and the modules they replace with a local directory."""
        roots = project.module_roots(self.env, self.cwd)
        return [d for root in roots for d in [root, *plan_cache.local_replacements(str(root / "go.mod"), root)]]

    def prepare(self) -> Prepared:
        """The plan of this build: rulec's cached one, or a new one."""
        with stage("go-env"):
            goenv = go_env([*_ENV_KEYS, *_HOST_KEYS], self.env, self.cwd)
        env = {k: goenv[k] for k in _ENV_KEYS}
        try:
            release = gorelease.parse(env["GOVERSION"])
        except gorelease.UnsupportedGo as e:
            raise BuildError(str(e)) from None
        project = workspace.Project.find(env, self.args.own.get("modfile"), self.args.mod_flag(), self.cwd)
        if project is None:
            raise BuildError("rulec builds Go modules: no go.mod found here (run `go mod init` first)")
        if project.gowork and "modfile" in self.args.own:
            raise BuildError("-modfile cannot be used in workspace mode (GOWORK is set)")
        args = self.args.without_mod_flag() if project.vendor else self.args
        with stage("plan-key"):
            inputs = self._inputs(env, project, args)
            source_dirs = self._source_dirs(project)
            final = plan_cache.plan_dir(inputs, source_dirs)
        summary = plan_cache.cached_summary(final)
        if summary is None:
            summary = self._plan(args, release, project, env["GOMODCACHE"], final, plan_cache.graph_dir(inputs, source_dirs))
        return Prepared(final, self._with_config_notes(summary), project, args, goenv)

    def _plan(
        self, args: goargs.GoArgs, release: gorelease.GoRelease, project: workspace.Project, gomodcache: str, final: Path, graph: Path
    ) -> Summary:
        # The planning stages load textX, networkx and tree-sitter: imported
        # here so that a build whose plan is cached never pays for them.
        from rulec.compiler.gocommand import planning

        request = planning.Request(args, self.cwd, self.env, self.config, self.rule_paths, release, gomodcache, cache_root())
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=final.name + ".", dir=final.parent))
        try:
            summary = planning.replan(request, graph, project, tmp, final)
            if summary is None:
                summary = planning.plan(request, project, tmp, final, graph)
            plan_cache.publish(tmp, final)
            return summary
        finally:
            if tmp.exists():
                plan_cache.discard(tmp)

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

    # --- running --------------------------------------------------------

    def go_command(self, prepared: Prepared) -> tuple[list[str], dict[str, str]]:
        extra: list[str] = []
        plan_dir = prepared.plan_dir
        args = prepared.args
        if prepared.summary.packages:
            overlay = plan_dir / "overlay.json"
            if "overlay" in args.own:
                overlay = self._merge_overlay(plan_dir, args.own["overlay"])
            with stage("toolexec-shim"):
                toolexec = shlex.join(shim.toolexec_argv(cache_root(), prepared.goenv, self.env))
            flags, setup_env = prepared.project.go_setup(plan_dir)
            extra = [*flags, f"-overlay={overlay}", f"-toolexec={toolexec}"]
            marks = json.loads((plan_dir / MARKS_FILE).read_text())
            users = gcflags.user_values(self.env.get("GOFLAGS", ""), args.build_flags())
            last = gcflags.marked(users, marks, self.cwd)
            edit = gcflags.buildinfo_edit(users, last)
            if edit:
                setup_env = {**setup_env, BUILDINFO_EDIT_ENV: json.dumps(edit)}
        else:
            extra, setup_env, last = [f"-{k}={v}" for k, v in args.own.items()], {}, []
        env = {**self.env, **setup_env}
        env[PLAN_DIR_ENV] = str(plan_dir)
        return args.go_argv(extra, last), env

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
        for line in summary.runtime:
            print(f"rulec:   linked {line}", file=out)
        for rule, _, why, version_skip in summary.explained_inactive():
            if not version_skip:
                print(f"rulec:   inactive {rule}: {why}", file=out)
        if summary.absent_line():  # most rules, on most builds: one line
            print(f"rulec:   inactive: {summary.absent_line()}; `rulec plan --all` lists them", file=out)


def _first_build(prepared: Prepared, quiet: bool) -> progress.FirstBuild | None:
    """The first instrumented build's word on the terminal, if this is one
    and stderr is a terminal; else None (nothing extra is printed)."""
    if quiet or not prepared.summary.packages or not sys.stderr.isatty():
        return None
    if progress.marker(prepared.goenv).exists():
        return None
    return progress.FirstBuild(prepared.summary.build_packages, sys.stderr)


def run(
    command: str, args: list[str], rule_paths: list[Path], verbose: bool, config_path: Path | None = None, quiet: bool = False
) -> int:
    try:
        with stage("prepare"):
            driver = Driver(command, args, rule_paths, verbose, config_path)
            prepared = driver.prepare()
            argv, env = driver.go_command(prepared)
    except (BuildError, GoListError, goargs.GoArgsError, config.ConfigError, packs.PackError) as e:
        print(error_line(e), file=sys.stderr)
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
    first = _first_build(prepared, quiet)
    with stage("go-command"), first or nullcontext():
        proc = subprocess.Popen(argv, env={**env, **first.env()} if first else env, cwd=driver.cwd)
        # The go command gets the terminal's signals itself; rulec just waits.
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            code = proc.wait()
        finally:
            signal.signal(signal.SIGINT, old)
    if code == 0:
        if prepared.summary.packages:
            progress.mark_warm(prepared.goenv)
        report(prepared.summary, verbose)
    return code
