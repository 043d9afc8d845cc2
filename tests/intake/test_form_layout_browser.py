"""The form's shape in a real Chromium: it opens folded at under half its unfolded height, the
keyboard pass takes fewer Tab stops than the unfolded form did, and an error-summary link
lands on the field's label or legend with its message in view, with and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Tab stops from the top of /kontakt to the send button before the optional groups were
# folded (header links, language switch, 19 questions, the privacy link).
TAB_STOPS_BEFORE = 29
VIEWPORTS = [(1280, 900), (375, 812)]


@pytest.fixture
def form_server(make_app, live_server_factory):
    app = make_app(FORM_MIN_FILL_SECONDS=0, SUBMIT_RATE_LIMIT="1000 per minute")
    return live_server_factory(app)


def _form_height(page: Page) -> float:
    return page.evaluate("document.querySelector('#enquiry-form').getBoundingClientRect().height")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_form_opens_folded_under_half_its_height(new_context, form_server, width, height):
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(form_server.url + "/kontakt")
    folded = _form_height(page)
    page.evaluate("document.querySelectorAll('#enquiry-form details').forEach(d => d.open = true)")
    assert folded < 0.5 * _form_height(page)


@pytest.mark.parametrize("javascript", [True, False])
def test_form_keyboard_pass_takes_fewer_tab_stops(new_context, form_server, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(form_server.url + "/kontakt")
    stops = 0
    while not page.evaluate("document.activeElement.matches('button[type=submit]')"):
        assert stops < TAB_STOPS_BEFORE, "more Tab stops than before the folding"
        page.keyboard.press("Tab")
        stops += 1


def _in_view(page: Page, selector: str) -> bool:
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_form_error_summary_link_lands_on_the_label(
    new_context, form_server, javascript, width, height
):
    context = new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.goto(form_server.url + "/kontakt")
    page.locator("#problem").fill("Too short")
    page.locator("#name").fill("Kari")
    page.locator("#email").fill("kari@example.org")
    page.locator("#organisation_type-9").check()  # a private person
    page.locator("#enquiry-more-about-you > summary").click()
    page.locator("#contact_preference-1").check()  # a call-back, but no number
    page.locator("button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#enquiry-more-about-you")).to_have_attribute("open", "")

    for field, caption in (("enquiry_type", "legend"), ("phone", "label")):
        page.evaluate("window.scrollTo(0, 0)")
        summary.locator(f'a[href="#{field}-field"]').click()
        top = page.evaluate(
            "s => document.querySelector(s).getBoundingClientRect().top",
            f"#{field}-field {caption}",
        )
        assert 0 <= top <= 40, f"{field}'s {caption} at {top}px"
        assert _in_view(page, f"#{field}-error")
        if javascript:  # the input is focused too, without scrolling the label away
            focused = page.evaluate("document.activeElement.name")
            assert focused == field
