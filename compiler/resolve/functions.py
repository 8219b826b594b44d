"""Finding a function or method among a package's Go files, cheaply.

A byte search for the name comes before tree-sitter parses a file, and each
parsed file is kept for the rest of the process.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from rulec.compiler import gosource
from rulec.compiler.gonames import GUESSED, ImportNames
from rulec.ruledsl.model import FuncTarget


@cache
def parse_file(path: str, package_path: str, names: ImportNames = GUESSED) -> gosource.GoFile:
    return gosource.parse(Path(path).read_bytes(), package_path, names)


def find_function(
    directory: str, files: tuple[str, ...], package_path: str, target: FuncTarget, names: ImportNames = GUESSED
) -> tuple[str, gosource.FuncDecl] | None:
    """The file (basename) and declaration of `target` among `files`; `names`
    what the files call their unaliased imports (a build's, or guessed)."""
    needle = target.name.encode()
    for name in sorted(files):
        path = os.path.join(directory, name)
        try:
            raw = Path(path).read_bytes()
        except OSError:
            continue
        if needle not in raw:  # cheap test before parsing
            continue
        decl = parse_file(path, package_path, names).find(target.recv, target.name)
        if decl is not None and (target.pointer is None or target.recv is None or decl.recv_pointer == target.pointer):
            return name, decl
    return None
