"""The project file, rulec.toml: find it, load it, validate it.

Found like go.mod, by walking up from the go command's directory; `--config`
names one instead. Every problem is a ConfigError naming the file and the
key, and stops the build before anything is planned or built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import toml

from rulec.compiler.gopattern import pattern_regex

CONFIG_NAME = "rulec.toml"


class ConfigError(Exception):
    """rulec.toml is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Pack:
    """A `[[packs]]` entry: .gorule files from a git repository at a ref."""

    name: str
    git: str
    ref: str
    subdir: str = ""

    def label(self) -> str:
        return f"rule pack {self.name!r}"


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # None: no rulec.toml, every default
    text: str = ""  # the file's content, for the plan cache key
    rule_dirs: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    packs: tuple[Pack, ...] = ()
    exporters: tuple[str, ...] = ()  # [runtime] exporters: linked whatever the app uses

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: key {key!r}: {message}")

    def check_disable(self, plugin_names: set[str]) -> None:
        """`disable` may only name plugins the loaded rule files define: a
        misspelt name would otherwise leave a plugin silently on."""
        known = ", ".join(sorted(plugin_names))
        for name in self.disable:
            if name not in plugin_names:
                raise self.error("rules.disable", f"no loaded rule file defines plugin {name!r} (plugins: {known})")

    def excludes(self, package: str) -> bool:
        return any(pattern_regex(p).fullmatch(package) for p in self.exclude)


def find(start: Path) -> Path | None:
    """The nearest rulec.toml in `start` or a folder above it."""
    for folder in [start, *start.parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


def for_build(explicit: Path | None, cwd: Path) -> Config:
    """The configuration of a build run in `cwd`: `--config`'s file, else the
    nearest rulec.toml, else the defaults."""
    path = explicit or find(cwd)
    return load(path.resolve()) if path else Config()


# The schema: table → key → (expected kind, required).
_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "rules": {"dirs": ("strings", False), "disable": ("strings", False)},
    "build": {"exclude": ("strings", False), "flags": ("strings", False)},
    "runtime": {"exporters": ("strings", False)},
    "packs": {"name": ("string", True), "git": ("string", True), "ref": ("string", True), "subdir": ("string", False)},
}
_PACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# [runtime] exporters: the exporters linked on demand (compiler/exporters.py).
EXPORTERS = ("otlp-grpc", "prometheus")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _fits(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _table(cfg: Config, raw: Any, table: str, key: str) -> dict[str, Any]:
    """`raw` checked against the schema of `table`; `key` names it in errors."""
    if not isinstance(raw, dict):
        raise cfg.error(key, f"expected a table, got {_show(raw)}")
    schema = _SCHEMA[table]
    for name, value in raw.items():
        if name not in schema:
            raise cfg.error(f"{key}.{name}", f"unknown key (known: {', '.join(schema)})")
        kind, _ = schema[name]
        if not _fits(value, kind):
            raise cfg.error(f"{key}.{name}", f"expected {'a string' if kind == 'string' else 'a list of strings'}, got {_show(value)}")
    for name, (_, required) in schema.items():
        if required and name not in raw:
            raise cfg.error(f"{key}.{name}", "missing")
    return raw


def _packs(cfg: Config, raw: Any) -> tuple[Pack, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise cfg.error("packs", f"expected an array of tables ([[packs]]), got {_show(raw)}")
    packs: dict[str, Pack] = {}
    for i, entry in enumerate(raw):
        key = f"packs[{i}]"
        t = _table(cfg, entry, "packs", key)
        if not _PACK_NAME.fullmatch(t["name"]):
            raise cfg.error(f"{key}.name", f"{t['name']!r} is not a name (letters, digits, '_', '.', '-')")
        if t["name"] in packs:
            raise cfg.error(f"{key}.name", f"pack {t['name']!r} is defined twice")
        subdir = PurePosixPath(t.get("subdir", ""))
        if subdir.is_absolute() or ".." in subdir.parts:
            raise cfg.error(f"{key}.subdir", f"expected a folder inside the repository, got {t['subdir']!r}")
        packs[t["name"]] = Pack(t["name"], t["git"], t["ref"], str(subdir) if subdir.parts else "")
    return tuple(packs.values())


def load(path: Path) -> Config:
    try:
        text = path.read_text()
    except OSError as e:
        raise ConfigError(f"{path}: {e.strerror}") from None
    try:
        raw = toml.loads(text)
    except toml.TomlDecodeError as e:
        raise ConfigError(f"{path}:{e.lineno}:{e.colno}: TOML syntax error: {e.msg}") from None
    cfg = Config(path, text)
    for name in raw:
        if name not in _SCHEMA:
            raise cfg.error(name, f"unknown key (known: {', '.join(_SCHEMA)})")
    rules = _table(cfg, raw.get("rules", {}), "rules", "rules")
    build = _table(cfg, raw.get("build", {}), "build", "build")
    runtime = _table(cfg, raw.get("runtime", {}), "runtime", "runtime")
    for name in runtime.get("exporters", []):
        if name not in EXPORTERS:
            raise cfg.error("runtime.exporters", f"unknown exporter {name!r} (known: {', '.join(EXPORTERS)})")
    dirs = tuple(path.parent / d for d in rules.get("dirs", []))
    for d in dirs:
        if not d.exists():
            raise cfg.error("rules.dirs", f"{d}: no such file or directory")
    for p in build.get("exclude", []):
        if p.startswith(".") or not p:
            raise cfg.error("build.exclude", f"expected import path patterns (example.com/m/pkg/...), got {p!r}")
    return Config(
        path,
        text,
        rule_dirs=dirs,
        disable=tuple(rules.get("disable", [])),
        exclude=tuple(build.get("exclude", [])),
        flags=tuple(build.get("flags", [])),
        packs=_packs(cfg, raw.get("packs", [])),
        exporters=tuple(runtime.get("exporters", [])),
    )
