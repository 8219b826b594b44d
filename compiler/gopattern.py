"""Go package patterns (`go help packages`) as regular expressions.

Imports nothing but re: toolexec's path reads it (compiler/gocommand/gcflags.py).
"""

import re


def pattern_regex(go_pattern: str) -> re.Pattern[str]:
    """`...` matches any string, and a trailing `/...` also matches the bare
    prefix (`a/...` matches `a`); use with fullmatch."""
    rx = re.escape(go_pattern).replace(re.escape("..."), ".*")
    if go_pattern.endswith("/..."):
        rx = rx[: -len("/.*")] + "(/.*)?"
    return re.compile(rx)
