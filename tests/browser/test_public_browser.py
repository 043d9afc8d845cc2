"""Real Chromium: every public page in every language, at desktop and phone width.

axe-core finds nothing; the film loads nothing from its provider until clicked; no cookie and
no web storage are left behind.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible

PATHS = [
    "/",
    "/nn/",
    "/en/",
    "/personvern",
    "/nn/personvern",
    "/en/privacy",
    "/tilgjengelighet",
    "/nn/tilgjenge",
    "/en/accessibility",
    "/en/missing-page",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", PATHS)
def test_browser_public_page_has_no_axe_violations(page: Page, path, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(path)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], "no horizontal scrolling"


def test_browser_public_pages_leave_no_cookie_or_storage(page: Page, live_server):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    for path in PATHS[:-1]:
        page.goto(path)
    storage = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
    assert storage == [0, 0, ""]
    assert page.context.cookies() == []
    assert errors == [], "no CSP violations or script errors"


def test_browser_film_loads_nothing_until_clicked(page: Page, live_server):
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(request.url))
    page.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>player</title>"
        ),
    )
    page.goto("/en/")
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(live_server.url) for url in hosts), hosts
    facade = page.get_by_role("link", name="Play the film")
    facade.focus()
    page.keyboard.press("Enter")
    frame = page.locator("iframe.film__frame")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0"
    )
    expect(frame).to_have_attribute("title", "Film: co-creative social innovation")
    expect(frame).to_be_focused()
    page.wait_for_load_state("networkidle")
    assert any(url.startswith("https://www.youtube-nocookie.com/") for url in hosts)
    assert not any("youtube.com/" in url and "nocookie" not in url for url in hosts)


def test_browser_film_without_javascript_is_a_link(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    link = page.locator("a.film__facade")
    expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    context.close()


def test_browser_skip_link_moves_focus_to_main(page: Page):
    page.goto("/nn/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovudinnhaldet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
