"""The `rulec` command line."""

from __future__ import annotations

import os
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import click

from rulec.compiler import config, packs
from rulec.compiler.gocommand import driver, plan_cache
from rulec.compiler.messages import error_line
from rulec.compiler.paths import RUNTIME_DIR
from rulec.compiler.plan import Summary
from rulec.ruledsl.diagnostics import RuleError
from rulec.ruledsl.load import BUILTIN_RULES, parse_all
from rulec.ruledsl.model import Rule

_GO_ARGS = {"ignore_unknown_options": True, "allow_interspersed_args": False}


def _builtin() -> list[Path]:
    # RULEC_RULES (paths separated like PATH) stands in for the built-in rules
    # while developing them.
    env = os.environ.get("RULEC_RULES")
    return [Path(p) for p in env.split(os.pathsep) if p] if env else [BUILTIN_RULES]


def _rule_paths(extra: tuple[Path, ...]) -> list[Path]:
    return [*_builtin(), *extra]


def version() -> str:
    """rulec's version: the installed package's, else (a checkout never
    installed, run with `python -m rulec`) its pyproject.toml's."""
    try:
        return metadata.version("rulec")
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text())["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # Eager, and a callback rather than click.version_option: that one has no fallback.
    if value and not ctx.resilient_parsing:
        click.echo(f"rulec {version()}")
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version, help="Print rulec's version and exit.")
def main() -> None:
    """Compile-time observability for Go: `rulec build` instead of `go build`."""
    if not os.path.isdir(RUNTIME_DIR):
        # A wheel install (`pip install .`, `pipx install .`) has rulec's code but not the Go it links.
        click.echo(f"rulec runs from its checkout, where it reads rules/ and runtime-go/, and this install has none "
                   f"({RUNTIME_DIR} is missing): install it with `pip install -e CHECKOUT` (README.md)", err=True)
        sys.exit(2)


class OwnOptions(NamedTuple):
    verbose: bool
    rules: list[Path]
    config: Path | None
    go_args: list[str]
    switches: frozenset[str] = frozenset()  # those of the command's own switches given


def _own_options(args: list[str], switches: tuple[str, ...] = ()) -> OwnOptions | None:
    """Split rulec's leading options from the go arguments; `switches` are
    flags of this command alone (`--all` of `plan`).

    Done by hand, not by click: click would read go's single-dash flags as
    clusters of short options (`-toolexec=echo` holds an `h`).
    """
    verbose, rules, config_path, found = False, [], None, set()
    while args:
        arg = args[0]
        if arg in ("-v", "--verbose"):
            verbose = True
        elif arg in switches:
            found.add(arg)
        elif arg == "--rules" and len(args) > 1:
            rules.append(Path(args[1]))
            args = args[1:]
        elif arg.startswith("--rules="):
            rules.append(Path(arg.split("=", 1)[1]))
        elif arg == "--config" and len(args) > 1:
            config_path = Path(args[1])
            args = args[1:]
        elif arg.startswith("--config="):
            config_path = Path(arg.split("=", 1)[1])
        elif arg in ("-h", "--help"):
            return None
        elif arg == "--":
            return OwnOptions(verbose, rules, config_path, args[1:], frozenset(found))
        else:
            break
        args = args[1:]
    for r in rules:
        if not r.exists():
            raise click.UsageError(f"--rules {r}: no such file or directory")
    if config_path is not None and not config_path.is_file():
        raise click.UsageError(f"--config {config_path}: no such file")
    return OwnOptions(verbose, rules, config_path, args, frozenset(found))


_GO_HELP = """{summary}

Usage: rulec {name} [-v] [-q] [--rules PATH]... [--config FILE] [--] [GO {NAME} ARGS]...

rulec's options come first; everything after them (or after `--`) goes to
`go {name}` unchanged.

  -v, --verbose  list every advised function and inactive rule
  -q, --quiet    no word on the terminal about a first build's progress
  --rules PATH   an extra .gorule file or directory (repeatable)
  --config FILE  the project file to use instead of the nearest rulec.toml
"""


def _go_command(name: str, summary: str) -> click.Command:
    @click.command(name, context_settings=_GO_ARGS, help=summary, add_help_option=False)
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def command(args: tuple[str, ...]) -> None:
        own = _own_options(list(args), ("-q", "--quiet"))
        if own is None:
            click.echo(_GO_HELP.format(summary=summary, name=name, NAME=name.upper()))
            return
        quiet = bool(own.switches)  # -q and --quiet are its only switches
        sys.exit(driver.run(name, own.go_args, _rule_paths(tuple(own.rules)), own.verbose, own.config, quiet))

    return command


main.add_command(_go_command("build", "Build like `go build`, with telemetry woven in."))
main.add_command(_go_command("test", "Test like `go test`, with telemetry woven in."))
main.add_command(_go_command("run", "Run like `go run`, with telemetry woven in."))
main.add_command(_go_command("vet", "Vet like `go vet`, the packages as rulec builds them."))


@main.command(context_settings=_GO_ARGS, add_help_option=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def plan(args: tuple[str, ...]) -> None:
    """Show which packages would get which advice, without building.

    Usage: rulec plan [--all] [--rules PATH]... [--config FILE] [--] [GO BUILD FLAGS] [PACKAGES]

    --all lists every inactive rule, those whose library is not in the build too.
    """
    own = _own_options(list(args), ("--all",))
    if own is None:
        click.echo(plan.help)
        return
    try:
        d = driver.Driver("build", own.go_args, _rule_paths(tuple(own.rules)), config_path=own.config)
        summary = d.prepare().summary
    except RuleError as e:
        for line in d.explain(e):
            click.echo(line, err=True)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 — every failure is reported, never a traceback
        click.echo(error_line(e), err=True)
        sys.exit(2)
    _echo_plan(summary, "--all" in own.switches)


def _echo_plan(summary: Summary, all_rules: bool) -> None:
    """The plan: the advice first, then what the build links and why, then
    the rules left out; those whose library the build lacks in one line
    unless `all_rules`, as on most builds they are most of the rules."""
    if not summary.packages:
        click.echo("no package of this build gets advice")
    else:
        click.echo(f"plugins active: {', '.join(summary.plugins)}\n")
    for pkg, funcs in sorted(summary.packages.items()):
        click.echo(pkg)
        for f in funcs:
            click.echo(f"    {f}")
    _echo_section("runtime modules linked:", summary.runtime)
    if summary.notes or summary.warnings:
        click.echo("")
    for warning in summary.warnings:
        click.echo(f"WARNING: {warning}")
    for note in summary.notes:
        click.echo(f"note: {note}")
    _echo_section("modules the runtime raises in this build:", summary.upgraded)
    inactive = summary.inactive if all_rules else summary.explained_inactive()
    lines = [f"{rule}: {'SKIPPED for its version: ' if skip else ''}{why}  ({pos})" for rule, pos, why, skip in inactive]
    absent = summary.absent_line()
    if absent and not all_rules:
        lines.append(f"{absent}; `--all` lists them")
    _echo_section("inactive rules:", lines)


def _echo_section(title: str, lines: list[str]) -> None:
    if lines:
        click.echo(f"\n{title}")
    for line in lines:
        click.echo(f"    {line}")


def _project_rules(config_path: Path | None) -> tuple[list[Path], list[packs.ResolvedPack], config.Config]:
    """The built-in rules and the project's (rulec.toml's dirs and packs,
    fetched), its config, or exit 2 naming the problem."""
    try:
        cfg = config.for_build(config_path, Path.cwd())
        resolved = [packs.resolve(p, plan_cache.cache_root()) for p in cfg.packs]
    except (config.ConfigError, packs.PackError) as e:
        click.echo(error_line(e), err=True)
        sys.exit(2)
    return [*_builtin(), *cfg.rule_dirs, *(p.rules for p in resolved)], resolved, cfg


@main.command()
@click.option("--releases", is_flag=True, help="Check module targets against the oldest and newest release in range (fetched).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The project file to use instead of the nearest rulec.toml.")  # fmt: skip
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...], releases: bool, config_path: Path | None) -> None:
    """Lint .gorule files: PATHS, else the built-in rules and the project's
    (rulec.toml's dirs and packs)."""
    from rulec.compiler.check import check_sources  # tree-sitter: only for this command

    sources, pack_rules, cfg = (list(paths), [], config.Config()) if paths else _project_rules(config_path)
    plugins, diagnostics = parse_all(sources)
    diagnostics += check_sources(plugins, releases)
    if not diagnostics:
        from rulec.compiler.typecheck import typecheck

        diagnostics += typecheck(plugins, sources, os.getcwd())
    diagnostics.sort(key=lambda d: (d.pos.file, d.pos.line, d.pos.col))
    for line in packs.explain(diagnostics, pack_rules):
        click.echo(line)
    if diagnostics:
        sys.exit(1)
    try:
        cfg.check_disable({p.name for p in plugins})
    except config.ConfigError as e:
        click.echo(error_line(e), err=True)
        sys.exit(2)
    n = sum(len(p.rules) for p in plugins)
    click.echo(f"{len(plugins)} plugins, {n} rules: no problems")


@main.command("rules")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def list_rules(paths: tuple[Path, ...]) -> None:
    """List plugins, their targets and version ranges, and their rules."""
    plugins, diagnostics = parse_all(list(paths) or _builtin())
    for d in diagnostics:
        click.echo(str(d), err=True)
    for p in plugins:
        click.echo(f"{p.name}  ({p.target_label})  {p.file}")
        for r in p.rules:
            priority = f" (priority {r.priority})" if r.priority else ""
            click.echo(f"    {r.name:<14} on {r.joinpoint.kind} {r.joinpoint.target}  →  {_advice_words(r)}{priority}")
    if diagnostics:
        sys.exit(1)


class _Duration(click.ParamType):
    name = "duration"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        from rulec.view.duration import parse_duration

        try:
            return value if isinstance(value, float) else parse_duration(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@main.command("view")
@click.option("--port", type=int, default=4320, show_default=True, help="Console and JSON API port, on 127.0.0.1 (0: any free port).")
@click.option("--otlp-http-port", type=int, default=4318, show_default=True, help="OTLP/HTTP receiver port.")
@click.option("--otlp-grpc-port", type=int, default=4317, show_default=True, help="OTLP/gRPC receiver port.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Store directory  [default: $XDG_DATA_HOME/rulec/view or ~/.local/share/rulec/view]")
@click.option("--retention", type=_Duration(), default="24h", show_default=True, help="Delete spans and metric points older than this.")
@click.option("--webhook", metavar="URL", help="POST alert state changes as JSON here (a rule's own webhook wins).")
def view_command(port: int, otlp_http_port: int, otlp_grpc_port: int, data_dir: Path | None, retention: float, webhook: str | None) -> None:
    """Receive OTLP, store it, serve the console on 127.0.0.1."""
    # Imported here: duckdb and grpc are not worth loading for `rulec build`.
    from rulec.view import app

    sys.exit(app.run(data_dir or app.default_data_dir(), retention, port, otlp_http_port, otlp_grpc_port, webhook))


def _advice_words(r: Rule) -> str:
    words = [f"{w} {h}" for w, h in (("before", r.before), ("after", r.after)) if h]
    if r.span:
        words.append(f'span "{r.span.name}"' + (f" with {len(r.span.attributes)} attributes" if r.span.attributes else ""))
    if r.entry:
        words.append("at entry")
    words += [f"add field {f.name} {f.type}" for f in r.fields]
    return ", ".join(words)
