"""The rule graph: plugins, rules, join points, hooks and build packages.

A networkx DiGraph holds who advises what:

    plugin ──▶ rule ──▶ target package ◀── build package nodes
                 └────▶ hook

Resolution marks each rule node active or inactive (with the reason); the
planner and `rulec plan` only ask the named queries below, never walk the
graph themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from rulec.ruledsl.model import Plugin, Rule


def _rule(rule: Rule) -> tuple[str, str]:
    return ("rule", rule.id)


class RuleGraph:
    def __init__(self, plugins: Iterable[Plugin]):
        self.g = nx.DiGraph()
        self.plugins = sorted(plugins, key=lambda p: p.name)
        for order, plugin in enumerate(self.plugins):
            self.g.add_node(("plugin", plugin.name), plugin=plugin)
            for i, rule in enumerate(plugin.rules):
                # Advice order on one function (docs/writing-rules.md): higher
                # priority first, then plugin name, then rule order in its file.
                state = {"active": None, "reason": "", "version_skip": False, "absent": False}
                self.g.add_node(_rule(rule), rule=rule, order=(-rule.priority, order, i), **state)
                self.g.add_edge(("plugin", plugin.name), _rule(rule))
                self.g.add_edge(_rule(rule), ("package", rule.joinpoint.target.package))
                for hook in (rule.before, rule.after):
                    if hook is not None:
                        self.g.add_edge(_rule(rule), ("hook", str(hook)), hook=hook)

    def rules(self) -> list[Rule]:
        nodes = [n for n in self.g.nodes if n[0] == "rule"]
        return [self.g.nodes[n]["rule"] for n in sorted(nodes, key=lambda n: self.g.nodes[n]["order"])]

    def target_packages(self) -> set[str]:
        return {n[1] for n in self.g.nodes if n[0] == "package"}

    def mark(self, rule: Rule, active: bool, reason: str = "", version_skip: bool = False, absent: bool = False) -> None:
        """Record whether `rule` applies; `version_skip`: it would, but for the
        version; `absent`: its library (module or package) is not in the build."""
        self.g.nodes[_rule(rule)].update(active=active, reason=reason, version_skip=version_skip, absent=absent)

    def active_rules(self) -> list[Rule]:
        return [r for r in self.rules() if self.g.nodes[_rule(r)]["active"]]

    def inactive_rules(self) -> list[tuple[Rule, str, bool]]:
        """(rule, why, skipped for its version) for each rule that does not apply."""
        nodes = [(r, self.g.nodes[_rule(r)]) for r in self.rules()]
        return [(r, n["reason"], n["version_skip"]) for r, n in nodes if n["active"] is False]

    def absent_rules(self) -> list[Rule]:
        """The inactive rules whose library is not in the build at all."""
        return [r for r in self.rules() if self.g.nodes[_rule(r)]["absent"]]

    def hook_packages(self, rules: Iterable[Rule] | None = None) -> list[str]:
        """Go packages whose hooks these rules (by default the active ones) call."""
        paths = set()
        for rule in self.active_rules() if rules is None else rules:
            for _, hook_node, data in self.g.out_edges(_rule(rule), data=True):
                if hook_node[0] == "hook":
                    paths.add(data["hook"].package)
        return sorted(paths)

    def plugins_of(self, rules: Iterable[Rule]) -> list[str]:
        return sorted({r.plugin for r in rules})
