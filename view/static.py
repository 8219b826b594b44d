"""The console's static files: view/console/, with vendor/ made by build.sh."""

from __future__ import annotations

from pathlib import Path

CONSOLE_DIR = Path(__file__).resolve().parent / "console"
VENDOR_FILES = ("vendor/echarts.mjs", "vendor/cytoscape.mjs")
BUILD_HINT = "run view/console/build.sh"

# Only what the browser loads: never package.json, build.sh or node_modules/.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


def missing_vendor() -> list[str]:
    """The library bundles build.sh has not produced yet."""
    return [name for name in VENDOR_FILES if not (CONSOLE_DIR / name).is_file()]


def static_file(relative: str) -> tuple[str, bytes] | None:
    """(content type, body) of a console file, None if it is not one the console serves."""
    path = (CONSOLE_DIR / relative).resolve()
    content_type = _TYPES.get(path.suffix)
    if content_type is None or not path.is_relative_to(CONSOLE_DIR) or "node_modules" in path.parts or not path.is_file():
        return None
    return content_type, path.read_bytes()
