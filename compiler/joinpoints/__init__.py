"""Join-point kinds: what each `on <keyword>` advises in a build.

Each kind is one module of this package holding one `JoinPointKind`
subclass, registered by its keyword with `@register`; every module here is
imported below, so a new kind is a new file (plus its grammar alternative
and syntax row in ruledsl/). The resolve and check stages ask a rule's kind
(`kind_of`) and never branch on the keyword themselves.
"""

from __future__ import annotations

import importlib
import pkgutil

from rulec.compiler.joinpoints.base import KINDS, JoinPointKind, register
from rulec.ruledsl.model import Rule

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")


def kind_of(rule: Rule) -> JoinPointKind:
    return KINDS[rule.joinpoint.kind]


__all__ = ["KINDS", "JoinPointKind", "kind_of", "register"]
