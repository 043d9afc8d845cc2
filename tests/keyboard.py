"""Keyboard-only use of a page, for the browser tests (WCAG 2.1.1: everything by keyboard)."""

from __future__ import annotations

from playwright.sync_api import Page


def tab_to(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")
