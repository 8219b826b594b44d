"""Rules that cannot both apply, across every rule of a build or a check."""

from __future__ import annotations

from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import FieldSpec, Rule


def conflicts(entries: list[tuple[Rule, tuple, tuple[str, ...], tuple[str, ...]]]) -> list[Diagnostic]:
    """Two rules that replace the same parameter or result of one function
    (each would silently undo the other). `entries`: (rule, the function's
    key, before-hook argument specs, after-hook argument specs)."""
    owner: dict[tuple, Rule] = {}
    out = []
    for rule, func, before_args, after_args in entries:
        for spec in (*before_args, *after_args):
            if not spec.startswith("&"):
                continue
            other = owner.setdefault((func, spec), rule)
            if other != rule:
                why = (
                    f"rules {other.id} ({other.pos}) and {rule.id} both replace {_spec_word(spec[1:])} of {rule.joinpoint.target}; "
                    "only one rule may replace a value"
                )
                out.append(Diagnostic(rule.pos, "conflict", why))
    return out


def field_conflicts(entries: list[tuple[Rule, str, str, tuple[FieldSpec, ...]]]) -> list[Diagnostic]:
    """Two rules adding a field of the same name to one struct type."""
    owner: dict[tuple[str, str, str], Rule] = {}
    out = []
    for rule, package, type_name, fields in entries:
        for f in fields:
            other = owner.setdefault((package, type_name, f.name), rule)
            if other != rule:
                why = f"rules {other.id} ({other.pos}) and {rule.id} both add field {f.name} to {package}.{type_name}"
                out.append(Diagnostic(f.pos, "conflict", why))
    return out


def _spec_word(spec: str) -> str:
    if spec == "recv":
        return "the receiver"
    return f"{'parameter' if spec[0] == 'p' else 'result'} {spec[1:]}"


class ConflictLog:
    """What the rules of one build or check replace and add, for the
    conflicts between them once every rule is seen."""

    def __init__(self) -> None:
        self.replaces: list[tuple[Rule, tuple, tuple[str, ...], tuple[str, ...]]] = []
        self.fields: list[tuple[Rule, str, str, tuple[FieldSpec, ...]]] = []

    def diagnostics(self) -> list[Diagnostic]:
        return conflicts(self.replaces) + field_conflicts(self.fields)
