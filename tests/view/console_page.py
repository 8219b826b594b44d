"""Helpers for the console's browser tests: open a page and wait for its data, read a table."""

from __future__ import annotations

from typing import Any

from support.viewproc import View


def open_page(page: Any, view: View, route: str, name: str) -> Any:
    page.goto(f"{view.console}#/{route}")
    page.wait_for_selector(f"main[data-ready='{name}']")
    return page


def table_rows(page: Any, testid: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"[data-testid='{testid}'] tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
