"""rulec's compiler: rules → rule graph → plan → rewritten packages → build.

Stages, each a module or folder here, data flowing one way:
  golist.py    the build's packages and modules (`go list -deps -json`)
  gosource.py  Go source read with tree-sitter-go (signatures, imports)
  graph.py     the rule graph (networkx) and its queries
  resolve.py   rules checked against the build and the Go source
  plan.py      the compact per-package plan, and its cache
  trampoline.py  the generated Go file each advised package gets
  rewrite/     a planned function's source → advised source, lines kept
  build/       `rulec build/test/run`: the go command, -toolexec, -overlay
Keep this file empty: the toolexec pass-through imports the package.
"""
