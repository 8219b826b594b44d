"""rulec's compiler: rule model → rule graph → resolution → plan → rewritten packages → build.

Stages, each a module or folder here, data flowing one way:
  graph.py       the rule graph (networkx) and its queries
  golist.py      the build's packages and modules (`go list -deps -json`)
  gosource.py    Go source read with tree-sitter-go (signatures, imports)
  resolve/       rules checked against the build's Go source: gating, hooks,
                 fitting, spans, conflicts, and the loop over them
  joinpoints/    one file per join-point kind (`on call`, `on handler`, ...):
                 what a rule of that kind advises
  planner.py     resolution → the plan directory; plan.py is its format,
                 trampoline.py the generated Go file each advised package gets
  rewrite/       a planned function's source → advised source, lines kept
  gocommand/     `rulec build/test/run`: plan cache, planning, the go command,
                 -toolexec, -overlay
  check.py       `rulec check`: the rules against Go source without a build
Keep this file empty of imports: the toolexec pass-through imports the package.
"""
