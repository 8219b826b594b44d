"""rulec's command line: the entry above the compiler (rules → model →
graph → plan → rewrite → go command, in compiler/ and ruledsl/) and the
console (view/), which do not import each other.

The stages keep their top-level folders but are imported as rulec.compiler,
rulec.ruledsl and rulec.view, so that no generic name reaches site-packages:
an install maps them here (pyproject.toml's package-dir), and from a checkout,
where an install's finder may not run (the toolexec entry starts Python with
-S), this package's path reaches the folders beside it."""

import os as _os

_checkout = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
if _os.path.isfile(_os.path.join(_checkout, "ruledsl", "gorule.tx")):
    __path__.append(_checkout)
