"""Load rule files and directories into plugins, or fail with diagnostics."""

from __future__ import annotations

from pathlib import Path

from rulec.ruledsl.diagnostics import Diagnostic, Pos, RuleError
from rulec.ruledsl.model import Plugin

BUILTIN_RULES = Path(__file__).resolve().parent.parent / "rules"


def rule_files(paths: list[Path]) -> list[Path]:
    """The .gorule files of `paths`, each once (a directory named by both
    `--rules` and rulec.toml is read once)."""
    files: dict[Path, Path] = {}
    for p in paths:
        for f in sorted(p.rglob("*.gorule")) if p.is_dir() else [p]:
            files.setdefault(f.resolve(), f)
    return list(files.values())


def parse_all(paths: list[Path]) -> tuple[list[Plugin], list[Diagnostic]]:
    from rulec.ruledsl.parser import parse_file  # textX: only when rules are really parsed

    plugins: list[Plugin] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, Plugin] = {}
    for path in rule_files(paths):
        plugin, diags = parse_file(path)
        diagnostics.extend(diags)
        if plugin is None:
            continue
        if plugin.name in seen:
            other = seen[plugin.name]
            diagnostics.append(Diagnostic(plugin.pos, "duplicate", f"plugin {plugin.name!r} is also defined at {other.pos}"))
            continue
        seen[plugin.name] = plugin
        plugins.append(plugin)
    if not paths or not rule_files(paths):
        missing = paths[0] if paths else Path(".")
        diagnostics.append(Diagnostic(Pos(str(missing), 1, 1), "read", "no .gorule files here"))
    return plugins, diagnostics


def load_rules(paths: list[Path]) -> list[Plugin]:
    plugins, diagnostics = parse_all(paths)
    if diagnostics:
        raise RuleError(diagnostics)
    return plugins
