"""The console's static files: what is served, what is not, and the vendor check."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulec.view import static


def test_console_files_are_served_with_their_types() -> None:
    content_type, body = static.static_file("index.html")
    assert content_type.startswith("text/html") and b'src="/static/app.js"' in body
    assert static.static_file("pages/overview.js")[0].startswith("text/javascript")


@pytest.mark.parametrize("path", ["package.json", "build.sh", "../api.py", "node_modules/echarts/dist/echarts.js", "nope.js"])
def test_other_files_are_not(path: str) -> None:
    assert static.static_file(path) is None


def test_nothing_outside_the_console_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static, "CONSOLE_DIR", tmp_path / "console")
    (tmp_path / "console").mkdir()
    (tmp_path / "secret.js").write_text("")
    assert static.static_file("../secret.js") is None


def test_missing_vendor_names_what_build_sh_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(static, "CONSOLE_DIR", tmp_path)
    assert static.missing_vendor() == list(static.VENDOR_FILES)
    (tmp_path / "vendor").mkdir()
    for name in static.VENDOR_FILES:
        (tmp_path / name).write_text("")
    assert static.missing_vendor() == []
