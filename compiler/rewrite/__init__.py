"""Rewriting Go source: planned advice inserted, every line number kept.

`rewriter.rewrite_file` maps a file's bytes plus the plan's edits for it to
new bytes; it knows nothing of the go command or of toolexec.
"""
