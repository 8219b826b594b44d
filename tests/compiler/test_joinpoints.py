"""The join-point kinds: the language's table and the compiler's agree, and
every kind the grammar offers is in both."""

from __future__ import annotations

import re

from rulec.compiler.joinpoints import KINDS, JoinPointKind, kind_of
from rulec.ruledsl.parser import GRAMMAR, JOINPOINTS, parse_text


def test_every_grammar_alternative_is_a_kind_the_compiler_knows() -> None:
    alternatives = re.search(r"^JoinPoint:\s*(.*?)\s*;", GRAMMAR.read_text(), re.MULTILINE | re.DOTALL)
    assert alternatives is not None
    named = {a.strip() for a in alternatives.group(1).split("|")} - {"UnknownJoinPoint"}
    assert named == set(JOINPOINTS)
    assert {s.keyword for s in JOINPOINTS.values()} == set(KINDS)
    assert all(isinstance(k, JoinPointKind) and KINDS[k.keyword] is k for k in KINDS.values())


def test_a_rule_gets_the_kind_of_its_keyword() -> None:
    text = """plugin p
import http "net/http"
import hooks "example.com/hooks"
target std
rule a { on call http.Get  before hooks.B }
rule b { on handler http.serverHandler  before hooks.B }
rule c { on callsite http.Get  before hooks.B }
rule d {
    on struct http.Request
    add field peer string
}
"""
    plugin, diags = parse_text(text, "p.gorule")
    assert not diags and plugin is not None
    assert [kind_of(r).keyword for r in plugin.rules] == ["call", "handler", "callsite", "struct"]
    assert [type(kind_of(r)).__name__ for r in plugin.rules] == ["Call", "Handler", "CallSiteKind", "Struct"]
