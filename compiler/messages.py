"""rulec's error lines: "rulec: " and the problem, said once."""

from __future__ import annotations

import re

# A message with rulec as its subject ("rulec builds Go modules: ...", "rulec's
# runtime lacks ...") already says who speaks; "rulec.toml:3: ..." names a file.
_RULEC_SPEAKS = re.compile(r"rulec(?:'s)?\s")


def error_line(problem: object) -> str:
    """The line that reports `problem` (an exception or its text)."""
    text = str(problem)
    return text if _RULEC_SPEAKS.match(text) else f"rulec: {text}"
