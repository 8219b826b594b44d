"""Where things are: rulec's runtime, and a package's plan inside a plan dir.

Imports nothing but os: the toolexec pass-through path reads it on every
tool invocation of a build.
"""

import os

RUNTIME_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "runtime-go")
PLAN_DIR_ENV = "RULEC_PLAN_DIR"
# A file the toolexec shim adds a byte to per compile, on a first build (progress.py).
PROGRESS_ENV = "RULEC_PROGRESS"
# [rulec's text, the plain build's] in the build info, for the link to swap (gcflags.py).
BUILDINFO_EDIT_ENV = "RULEC_BUILDINFO_EDIT"
# In a plan dir: the build-info edits the link applies (module copies).
MODINFO_FILE = "modinfo.json"
# In a plan dir: the standard-library packages whose compiles carry a plan mark.
MARKS_FILE = "marks.json"


def package_name(import_path: str) -> str:
    """An import path as one file name: a package's plan file and its folder
    of generated files are named so."""
    return import_path.replace("%", "%25").replace("/", "%2F")


def package_file(plan_dir: str, import_path: str) -> str:
    """Where a package's plan lives; one stat tells whether it is planned."""
    return os.path.join(plan_dir, "packages", package_name(import_path) + ".json")


def overlay_folder(import_path: str) -> str:
    """A package's generated files, relative to its plan dir."""
    return os.path.join("overlay", package_name(import_path))
