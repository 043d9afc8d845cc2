"""The public site's grid in a real Chromium at 320, 375, 768 and 1280 px: no sideways scroll,
the navigation starts where the header and the content start, the film's play button stays on
one line, sections do not touch what follows them; and the print styles hide the chrome."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

WIDTHS = [320, 375, 768, 1280]
LANDINGS = ["/", "/nn/", "/en/"]


def _left(page: Page, selector: str) -> float:
    return page.evaluate("s => document.querySelector(s).getBoundingClientRect().left", selector)


@pytest.mark.parametrize("path", [*LANDINGS, "/kontakt", "/en/privacy"])
@pytest.mark.parametrize("width", WIDTHS)
def test_layout_grid_is_aligned_without_sideways_scroll(page: Page, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header = _left(page, ".brand")
    nav = _left(page, ".site-nav__list a")
    content = _left(page, "main h1")
    assert abs(nav - header) < 1 and abs(content - header) < 1, (header, nav, content)
    assert header >= 12  # not glued to the window's edge


@pytest.mark.parametrize("path", LANDINGS)
@pytest.mark.parametrize("width", WIDTHS)
def test_layout_play_button_on_one_line(page: Page, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(path)
    button = page.locator(".film__play")
    box = button.bounding_box()
    line = page.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight) || 1.6 * parseFloat("
        "getComputedStyle(e).fontSize)",
        button.element_handle(),
    )
    padding = page.evaluate(
        "e => parseFloat(getComputedStyle(e).paddingTop) + "
        "parseFloat(getComputedStyle(e).paddingBottom)",
        button.element_handle(),
    )
    assert box["height"] - padding < 2 * line, "the label wraps"
    poster = page.locator(".film__facade").bounding_box()
    assert box["x"] >= poster["x"] and box["x"] + box["width"] <= poster["x"] + poster["width"]


@pytest.mark.parametrize("width", [375, 1280])
def test_layout_text_under_the_cards_does_not_touch_them(page: Page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/en/")
    gap = page.evaluate(
        """() => { const c = document.querySelector('.compare');
                   const p = c.nextElementSibling;
                   return p.getBoundingClientRect().top - c.getBoundingClientRect().bottom; }"""
    )
    assert gap >= 16


def test_layout_print_hides_navigation_and_film(page: Page):
    page.goto("/en/")
    page.emulate_media(media="print")
    for selector in (".site-nav", ".lang-switch", ".film"):
        assert (
            page.evaluate("s => getComputedStyle(document.querySelector(s)).display", selector)
            == "none"
        )
