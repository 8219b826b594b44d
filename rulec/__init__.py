"""rulec's command line: the entry above the compiler (rules → model →
graph → plan → rewrite → go command, in compiler/ and ruledsl/) and the
console (view/), which do not import each other."""
