"""`on handler PKG.Type`: around the type's ServeHTTP method, with a value or
a pointer receiver; otherwise what `on call` does."""

from __future__ import annotations

from rulec.compiler.joinpoints.base import register
from rulec.compiler.joinpoints.call import Call


@register
class Handler(Call):
    keyword = "handler"
