"""`rulec build/test/run`: the real go command, with rulec's plan plugged in.

goargs.py     the user's go arguments: flags, packages, program args
workspace.py  go.mod/go.sum copies with the runtime required, in rulec's cache
driver.py     plan (cached) → `go CMD -modfile -overlay -toolexec ...` → summary
toolexec.py   the -toolexec entry: pass-through, or rewrite a planned compile
compile.py    the rewrite of one compile's files (imported only when planned)
"""
