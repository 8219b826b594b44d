"""Property tests: no input makes the rule parser or `rulec check` crash.

Inputs are random text and random token-level mutations (delete, duplicate,
swap, insert) of the built-in rule files, so that many inputs get past the
grammar and into the semantic and Go-source checks.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulec.ruledsl.diagnostics import CODES
from rulec.ruledsl.parser import parse_text

ROOT = Path(__file__).resolve().parent.parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "GOFLAGS": "-buildvcs=false", "GOTOOLCHAIN": "local"}
DIAG = re.compile(r"^.+?:\d+:\d+: (error|warning)\[[a-z-]+\]: ")
SUMMARY = re.compile(r"^\d+ plugins, \d+ rules: no problems$")

VALID = [p.read_text() for p in sorted((ROOT / "rules").glob("*.gorule"))]
# Tokens and the whitespace between them; joining them gives the file back.
TOKEN = re.compile(r'"[^"\n]*"|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\s+|.')
VOCABULARY = [
    "plugin",
    "import",
    "target",
    "std",
    "module",
    "version",
    "rule",
    "on",
    "call",
    "handler",
    "before",
    "after",
    "{",
    "}",
    "(",
    ")",
    "*",
    ".",
    '">= 1.22"',
    '"net/http"',
    "main",
    "\n",
    " ",
]


@st.composite
def mutated_rule_file(draw: st.DrawFn) -> str:
    tokens = TOKEN.findall(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 6))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        if op == "delete":
            del tokens[i]
        elif op == "duplicate":
            tokens.insert(i, tokens[i])
        elif op == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        else:
            tokens.insert(i, draw(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=4))))
    return "".join(tokens)


# Random text, and random sequences of the language's own words.
random_text = st.one_of(st.text(), st.lists(st.sampled_from(VOCABULARY)).map("".join))
rule_text = st.one_of(random_text, mutated_rule_file())


def assert_well_formed(text: str) -> None:
    plugin, diagnostics = parse_text(text, "fuzz.gorule")
    assert (plugin is None) == bool(diagnostics)
    for d in diagnostics:
        assert d.pos.file == "fuzz.gorule"
        assert d.pos.line >= 1 and d.pos.col >= 1, d
        assert d.pos.line <= text.count("\n") + 1, d
        assert d.code in CODES, d


@settings(max_examples=400, deadline=None, database=None)
@given(random_text)
def test_parse_random_text_never_raises(text: str) -> None:
    assert_well_formed(text)


@settings(max_examples=400, deadline=None, database=None)
@given(mutated_rule_file())
def test_parse_mutated_rule_files_never_raises(text: str) -> None:
    assert_well_formed(text)


def test_unmutated_rule_files_parse() -> None:
    for text in VALID:
        assert "".join(TOKEN.findall(text)) == text
        plugin, diagnostics = parse_text(text, "fuzz.gorule")
        assert plugin is not None and diagnostics == []


@settings(max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(rule_text.map(str.encode), st.binary(max_size=200)))
def test_cli_check_on_random_files_never_crashes(content: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="rulec-fuzz-") as d:
        path = Path(d, "fuzz.gorule")
        path.write_bytes(content)
        proc = subprocess.run(
            [sys.executable, "-m", "rulec", "check", str(path)],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    for line in proc.stdout.splitlines():
        assert DIAG.match(line) or (proc.returncode == 0 and SUMMARY.match(line)), line
