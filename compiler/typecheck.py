"""`rulec check` in a module: the Go text rules add, compiled for real.

Attribute values, `record error`, `at entry` statements and added fields are
Go the rule's author wrote against the target's source. rulec plans the
module's build with the checked rules and has the go command compile (not
link) each package they advise, through the same -overlay and -toolexec as
`rulec build`. The rewritten code carries `/*line*/` directives naming the
.gorule text, so the compiler's own errors come out at the rule's line and
column; this module turns them into diagnostics.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from rulec.compiler.gocommand import driver
from rulec.compiler.golist import GoListError, go_env
from rulec.ruledsl.diagnostics import Diagnostic, Pos, RuleError
from rulec.ruledsl.model import Plugin, Rule

_ERROR_LINE = re.compile(r"^(?P<file>.+?\.gorule):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def writes_go(rule: Rule) -> bool:
    """Whether the rule holds Go text of its author's that only a compile checks."""
    span = rule.span
    return bool(rule.entry or rule.fields or (span and (span.attributes or span.error)))


def typecheck(plugins: list[Plugin], rule_paths: list[Path], cwd: str) -> list[Diagnostic]:
    """Compile the packages the rules advise in the module at `cwd`; the
    compiler's errors about rule text, as diagnostics."""
    ids = {r.id for p in plugins for r in p.rules if writes_go(r)}
    if not ids or go_env(["GOMOD"], cwd=cwd)["GOMOD"] in ("", os.devnull):
        return []  # no Go text of the rules' own, or no module here to compile it in
    try:
        d = driver.Driver("build", ["./..."], rule_paths, cwd=cwd)
        prepared = d.prepare()
        argv, env = d.go_command(prepared)
    except RuleError as e:
        return e.diagnostics
    except (driver.BuildError, GoListError) as e:
        return [Diagnostic(Pos(plugins[0].file, 1, 1), "type", f"cannot plan a build here to compile the rules against: {e}")]
    advised = [pkg for pkg, funcs in prepared.summary.packages.items() if any(_names_rule(f, ids) for f in funcs)]
    if not advised:
        return []
    flags = [a for a in argv[2:] if a.startswith("-") and a != "./..."]
    cmd = ["go", "list", "-e", "-export", "-json=ImportPath,Error,DepsErrors", *flags, *advised]
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    files = {os.path.abspath(p.file): p.file for p in plugins}
    return _diagnostics(proc.stdout + proc.stderr, cwd, files, plugins[0].file)


def _names_rule(func_line: str, ids: set[str]) -> bool:
    # Summary lines read "Func: plugin.rule, plugin.rule" or "struct T: field type".
    _, _, rules = func_line.partition(": ")
    return func_line.startswith("struct ") or any(r.strip() in ids for r in rules.split(","))


def _diagnostics(output: str, cwd: str, files: dict[str, str], fallback: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    others: list[str] = []
    for text in _error_texts(output):
        for line in text.splitlines():
            m = _ERROR_LINE.match(line.strip())
            if m:
                path = os.path.abspath(os.path.join(cwd, m["file"]))
                out.append(Diagnostic(Pos(files.get(path, m["file"]), int(m["line"]), int(m["col"])), "type", m["message"]))
            elif line.strip() and not line.startswith("#"):
                others.append(line.strip())
    if not out and others:
        # The package fails, but not at rule text: say so rather than pass.
        out.append(Diagnostic(Pos(fallback, 1, 1), "type", f"the advised packages do not compile: {others[0]}"))
    return list(dict.fromkeys(out))


def _error_texts(output: str) -> list[str]:
    texts = []
    decoder, i = json.JSONDecoder(), 0
    while i < len(output):
        if output[i] != "{":
            i += 1
            continue
        try:
            raw, i = decoder.raw_decode(output, i)
        except ValueError:
            i += 1
            continue
        for err in [raw.get("Error"), *(raw.get("DepsErrors") or [])]:
            if err:
                texts.append(err.get("Err", ""))
    return texts
