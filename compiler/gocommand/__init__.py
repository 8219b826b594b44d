"""`rulec build/test/run`: the real go command, with rulec's plan plugged in.

goargs.py       the user's go arguments: flags, packages, program args
driver.py       the request settled → plan (cached or made) → `go CMD -modfile -overlay -toolexec ...` → report
plan_cache.py   where plans live and what keys them
planning.py     making a plan: list packages, resolve rules, join the runtime, write the plan
workspace.py    go.mod/go.sum copies with the runtime required, in rulec's cache
runtime_modules.py, otel_family.py, module_copies.py, graph_cache.py   what planning uses
toolexec.py     the -toolexec entry: pass-through, or rewrite a planned compile
compile.py      the rewrite of one compile's files (imported only when planned)
gcflags.py      the plan mark that keys Go's build cache for standard-library packages
shim.py, shim/  the compiled -toolexec shim that passes unplanned tools through
progress.py     a first build's word on the terminal: what it compiles, how far it is
"""
