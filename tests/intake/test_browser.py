"""The form in a real Chromium: keyboard only, with and without JavaScript, and axe-core.

The portal runs in a thread (``live_server_factory``) with no minimum fill time and a raised
submit limit; every test gets its own browser context, so nothing carries over.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.intake.links import case_token
from portal.intake.models import Enquiry
from tests.axe import axe_violations
from tests.keyboard import tab_to

FORM = {"nb": "/kontakt", "nn": "/nn/kontakt", "en": "/en/contact"}
WORDS = {
    "nb": {
        "send": "Send henvendelsen",
        "thanks": "Takk – vi har mottatt henvendelsen din",
        "email_error": "Skriv en e-postadresse i riktig format",
        "summary": "Noe må rettes",
        "short": "Skriv minst 20 tegn om problemet.",
    },
    "nn": {
        "send": "Send førespurnaden",
        "thanks": "Takk – vi har fått førespurnaden din",
        "email_error": "Skriv ei e-postadresse i rett format",
        "summary": "Noko må rettast",
        "short": "Skriv minst 20 teikn om problemet.",
    },
    "en": {
        "send": "Send enquiry",
        "thanks": "Thank you – we have received your enquiry",
        "email_error": "Enter an email address in the right format",
        "summary": "There is a problem",
        "short": "Write at least 20 characters",
    },
}
PROBLEM = "Older people in our villages have become lonely since the bus routes closed."
pytestmark = pytest.mark.browser  # also the tests that make their own context

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def intake_app(make_app):
    return make_app(FORM_MIN_FILL_SECONDS=0, SUBMIT_RATE_LIMIT="1000 per minute")


@pytest.fixture
def intake_server(intake_app, live_server_factory):
    return live_server_factory(intake_app)


@pytest.fixture
def browser_context_args(intake_server):
    """Every context pytest-playwright makes points at this test's portal."""
    return {"base_url": intake_server.url}


# --------------------------------------------------------------------------- keyboard helpers


def tab_and_type(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def fill_by_keyboard(page: Page, email: str, problem: str, after_email=None) -> None:
    """Fill the required fields, a folded choice and the consent, with keys only, in the
    form's order: the problem, who is asking, then the project's details. ``after_email``
    runs once the email is typed (to check what leaving the field does)."""
    tab_and_type(page, "#problem", problem)
    tab_to(page, "#enquiry_type-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the next choice: support with co-creation
    tab_and_type(page, "#name", "Kari Nordmann")
    tab_and_type(page, "#email", email)
    if after_email:
        after_email()
    tab_to(page, "#organisation_type-0")  # Municipality
    page.keyboard.press("Space")
    tab_and_type(page, "#organisation", "Bø kommune")
    tab_to(page, "#enquiry-project > summary")  # the folded project details
    page.keyboard.press("Enter")
    tab_to(page, "#co_creation-0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # thick co-creation
    tab_to(page, "#keep_in_touch")
    page.keyboard.press("Space")


def press_send(page: Page, lang: str) -> None:
    tab_to(page, "button[type=submit]")
    expect(page.locator(":focus")).to_have_text(WORDS[lang]["send"])
    page.keyboard.press("Enter")


def assert_no_storage_and_no_cookie(page: Page) -> None:
    assert page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def stored_enquiry(app) -> Enquiry:
    with app.app_context():
        enquiry = db.session.scalars(select(Enquiry)).one()
        db.session.expunge(enquiry)
        return enquiry


# --------------------------------------------------------------------------- keyboard flows


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_keyboard_only_with_javascript(page: Page, intake_app, lang):
    words = WORDS[lang]
    page.goto(FORM[lang])

    def leave_email() -> None:
        # Leaving the email field validates it (htmx): the error appears beside the field.
        # The checks queue on the form; wait for the earlier fields' checks to come back, so
        # that this one is the only one in flight (htmx 2.0's queue can stall behind two).
        page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=30_000)
        page.keyboard.press("Tab")
        expect(page.locator("#email-error")).to_contain_text(words["email_error"], timeout=15_000)
        expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")

    fill_by_keyboard(page, email="kari@", problem="Too short", after_email=leave_email)
    page.keyboard.press("Shift+Tab")  # the keyboard is still in the form after the swap
    tab_and_type(page, "#email", "kari@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#email-error")).to_have_count(0)

    press_send(page, lang)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(words["summary"])
    expect(summary).to_contain_text(words["short"])
    expect(page.locator("#name")).to_have_value("Kari Nordmann")
    expect(page.locator("#keep_in_touch")).to_be_checked()

    tab_and_type(page, "#problem", PROBLEM)
    press_send(page, lang)
    expect(page.locator("h1")).to_have_text(words["thanks"])
    expect(page.locator("#receipt")).to_be_focused()
    enquiry = stored_enquiry(intake_app)
    expect(page.locator(".receipt__reference")).to_contain_text(enquiry.reference)
    assert (enquiry.lang, enquiry.enquiry_type, enquiry.co_creation) == (
        lang,
        "co_creation_support",
        "thick",
    )
    assert enquiry.keep_in_touch is True
    assert_no_storage_and_no_cookie(page)


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_keyboard_only_without_javascript(new_context, intake_app, lang):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    words = WORDS[lang]
    page.goto(FORM[lang])
    fill_by_keyboard(page, email="kari@example.org", problem="Too short")
    press_send(page, lang)
    expect(page.locator(".error-summary")).to_contain_text(words["short"])
    expect(page.locator("#problem")).to_have_attribute(
        "aria-describedby", "problem-hint problem-error"
    )
    expect(page.locator("#name")).to_have_value("Kari Nordmann")
    expect(page.locator("#co_creation-1")).to_be_checked()

    tab_and_type(page, "#problem", PROBLEM)
    press_send(page, lang)
    expect(page.locator("h1")).to_have_text(words["thanks"])
    assert stored_enquiry(intake_app).lang == lang
    assert context.cookies() == []


# --------------------------------------------------------------------------- axe-core


def _case_path(app, lang: str) -> str:
    enquiry = stored_enquiry(app)
    with app.test_request_context():
        token = case_token(enquiry.public_id)
    return {"nb": "/kontakt/sak/", "nn": "/nn/kontakt/sak/", "en": "/en/contact/case/"}[
        lang
    ] + token


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_axe_finds_nothing_on_form_errors_receipt_and_status_page(
    new_context, intake_app, lang, viewport
):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.goto(FORM[lang])
    assert axe_violations(page) == [], "form"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], "no horizontal scrolling"

    page.get_by_role("button", name=WORDS[lang]["send"]).click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert axe_violations(page) == [], "form with errors"

    page.locator("#name").fill("Kari Nordmann")
    page.locator("#email").fill("kari@example.org")
    page.locator("#organisation_type-9").check()  # a private person: no organisation needed
    page.locator("#enquiry_type-2").check()
    page.locator("#problem").fill(PROBLEM)
    page.locator("#keep_in_touch").check()
    page.get_by_role("button", name=WORDS[lang]["send"]).click()
    expect(page.locator("h1")).to_have_text(WORDS[lang]["thanks"])
    assert axe_violations(page) == [], "receipt"

    page.goto(_case_path(intake_app, lang))
    expect(page.locator("h1")).to_contain_text("SESAM-")
    assert axe_violations(page) == [], "status page"
    page.locator("#information").fill("We have found a partner in the county.")
    page.locator("button[value=add]").click()
    expect(page.locator(".notice--ok")).to_be_visible()
    assert axe_violations(page) == [], "status page after adding information"
    assert_no_storage_and_no_cookie(page)
