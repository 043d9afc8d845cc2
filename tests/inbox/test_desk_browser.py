"""The staff desk in a real Chromium: screens that fit 320 to 1920 px, short keyboard walks,
failures shown where they happened, the shortcuts, and axe on every new or changed screen."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from portal.inbox import services
from tests.axe import axe_violations
from tests.factories import make_enquiry, make_staff
from tests.staff_browser import in_app, sign_in

pytestmark = pytest.mark.browser
WIDTHS = (320, 375, 1280, 1920)
LANGS = ("nb", "nn", "en")


def busy_desk(lang: str = "en", role: str = "admin"):
    """A signed-in person's desk with a page of long-worded enquiries, tags and an outcome."""
    me = make_staff(
        email=f"desk-{lang}-{role}@usn.example", name="Sara Saksbehandler", lang=lang, role=role
    )
    colleague = make_staff(name="Bartholomew Konstantinopolitanus-Østerdalen", lang="nn")
    first = last = None
    for index in range(30):
        enquiry = make_enquiry(
            name="Kristiansen-Vestergaard Aleksandersen",
            organisation="Nordre Follo kommune, virksomhet for helse og velferd",
            problem="Kommunesammenslåingsprosessdokumentasjonsarbeidet " * 4,
            assignee_id=colleague.id if index % 2 else None,
            follow_up_on=None,
            source="embed",
            source_page="https://www.usn.no/forskning/sesam/samarbeid-med-oss",
        )
        first, last = first or enquiry, enquiry
    services.set_tags(first.id, ["kommunenettverk-innlandet", "ungdom"], me.id)
    services.set_follow_up(last.id, date(2026, 1, 5), me.id)
    services.bulk_update([last.id], "status", "closed", me.id, "no_reply")
    return me.email, first.id, colleague.id


def test_no_screen_scrolls_sideways_from_320_to_1920_px(page: Page, server):
    email, enquiry_id, _ = in_app(server, busy_desk)
    sign_in(page, email)
    screens = [
        "/inbox/",
        f"/inbox/enquiries/{enquiry_id}",
        "/inbox/overview/",
        "/inbox/admin/routing",
        "/inbox/admin/templates",
        "/inbox/admin/users",
        "/inbox/account",
    ]
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in screens:
            page.goto(path)
            sizes = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert sizes[0] <= sizes[1], (width, path, sizes)
        page.goto("/inbox/")
        inner = page.evaluate(
            "() => { const l = document.getElementById('list');"
            " return [l.scrollWidth, l.clientWidth]; }"
        )
        assert inner[0] <= inner[1], (width, "the list inside its box", inner)


def test_the_first_row_is_two_tab_stops_away_by_the_skip_link_and_at_most_twenty_without(
    page: Page, server
):
    email, _, _ = in_app(server, lambda: busy_desk("nb", "staff"))
    sign_in(page, email)
    page.goto("/inbox/")
    first_row = "#list tbody tr:first-child input[name=ids]"
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Hopp til listen")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("s => document.activeElement.matches(s)", first_row)

    page.goto("/inbox/")
    stops = []
    while len(stops) < 40:
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate("s => document.activeElement.matches(s)", first_row):
            break
    assert len(stops) <= 20, stops


def test_a_failed_save_says_so_next_to_the_form_and_puts_it_back(page: Page, server):
    email, enquiry_id, colleague_id = in_app(server, busy_desk)
    sign_in(page, email)
    page.goto(f"/inbox/enquiries/{enquiry_id}")
    before = page.locator("#assignee").input_value()
    page.route("**/triage", lambda route: route.fulfill(status=500, body="boom"))
    page.select_option("#assignee", str(colleague_id))
    page.locator("#triage-save").click()
    error = page.locator("#triage-form + .action-error")
    expect(error).to_have_text(
        "That did not work, and nothing was changed. Try again, or reload the page."
    )
    expect(error).to_have_attribute("role", "alert")
    expect(page.locator("#assignee")).to_have_value(before)
    page.unroute("**/triage")
    page.select_option("#assignee", str(colleague_id))
    page.locator("#triage-save").click()
    expect(page.locator("#messages")).to_contain_text("The handling is saved.")
    expect(page.locator(".action-error")).to_have_count(0)


def test_assigning_a_colleague_the_outbox_refuses_shows_why(page: Page, server):
    def setup():
        me = make_staff(email="refused@usn.example", lang="en")
        colleague = make_staff(name="Ola Haugen", email="ola.haugen@demo.sesam.invalid")
        return me.email, make_enquiry().id, colleague.id

    email, enquiry_id, colleague_id = in_app(server, setup)
    sign_in(page, email)
    page.goto(f"/inbox/enquiries/{enquiry_id}")
    page.select_option("#assignee", str(colleague_id))
    page.locator("#triage-save").click()
    expect(page.locator("#messages .notice--error")).to_contain_text(
        "Saved, but Ola Haugen was not told: the outbox refuses the address"
    )
    expect(page.locator("#assignee")).to_have_value(str(colleague_id))


def test_select_all_shows_the_bulk_actions_and_the_shortcuts_work(page: Page, server):
    email, _, _ = in_app(server, busy_desk)
    sign_in(page, email)
    page.goto("/inbox/")
    expect(page.locator("#bulk-actions")).to_be_hidden()
    page.locator("#select-all").check()
    expect(page.locator("#bulk-actions")).to_be_visible()
    assert page.locator("input[name=ids]:checked").count() == 25
    page.locator("body").press("?")
    expect(page.locator("#shortcuts-help")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("body").press("j")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-row-link')")
    page.keyboard.press("o")
    expect(page.locator("#triage")).to_be_visible()
    page.keyboard.press("a")
    expect(page.locator("#messages")).to_contain_text("The handling is saved.")


@pytest.mark.parametrize("lang", LANGS)
def test_the_new_and_changed_screens_are_axe_clean(page: Page, server, lang):
    email, enquiry_id, _ = in_app(server, lambda: busy_desk(lang))
    sign_in(page, email)
    for width in (320, 375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in (
            "/inbox/?follow_up=overdue&status=closed",
            f"/inbox/enquiries/{enquiry_id}",
            "/inbox/overview/",
            "/inbox/account",
        ):
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            assert axe_violations(page) == [], (width, path)
    # With the bulk actions open and the shortcuts listed.
    page.goto("/inbox/")
    page.locator("#select-all").check()
    page.locator("body").press("?")
    assert axe_violations(page) == []
