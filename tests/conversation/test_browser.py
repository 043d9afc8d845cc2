"""The conversation's screens in a real Chromium, axe-clean in nb, nn and en: unmatched mail
(with a refused reference), an enquiry whose timeline holds the enquirer's mail and a reply
preview, and the enquirer's status page with the dialogue; keyboard-only attach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.conversation.services import ingest
from portal.inbox import replies
from portal.intake.links import case_token
from tests.axe import axe_violations
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry, make_staff
from tests.intake.enquiry_builders import CASE_PREFIX
from tests.keyboard import tab_to
from tests.staff_browser import in_app, sign_in

pytestmark = pytest.mark.browser
LANGS = ("nb", "nn", "en")


def _conversation(lang: str):
    staff = make_staff(email=f"conv-{lang}@usn.example", lang=lang, name="Sara Saksbehandler")
    enquiry = make_enquiry(email="per@example.org", lang=lang)
    receipt = receipt_of(enquiry)
    replies.reply(enquiry.id, "Kan du sende prosjektbeskrivelsen?", staff.id)
    ingest(eml("outlook_winmail_attachments", sender="per@example.org", thread=receipt.message_id))
    ingest(eml("out_of_office", sender="per@example.org", thread=receipt.message_id))
    ingest(eml("subject_only", sender="per@example.org", reference=enquiry.reference))
    ingest(eml("forged_subject", reference=enquiry.reference))
    return staff.email, enquiry.id, enquiry.public_id


@pytest.mark.parametrize("lang", LANGS)
def test_the_conversation_screens_are_axe_clean(page: Page, server, lang):
    email, enquiry_id, public_id = in_app(server, lambda: _conversation(lang))
    sign_in(page, email)
    page.goto("/inbox/mail/unmatched")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert axe_violations(page) == [], "unmatched"
    # A refused reference: the error is shown with the field, what was typed kept.
    form = page.locator(".unmatched__attach").last
    form.locator("input[type=text]").fill("SESAM-12")
    form.locator("button[type=submit]").click()
    expect(page.locator(".field__error").first).to_be_visible()
    assert axe_violations(page) == [], "unmatched, refused reference"

    page.goto(f"/inbox/enquiries/{enquiry_id}")
    expect(page.locator("#timeline")).to_contain_text("Vedlagt er prosjektbeskrivelsen.")
    page.fill("#reply-body", "Takk, vi ser på den.")
    page.locator("#reply-preview-button").click()
    expect(page.locator("#reply-preview")).to_contain_text("Takk, vi ser på den.")
    assert axe_violations(page) == [], "detail with mail and a reply preview"

    with server.app.test_request_context():
        status = CASE_PREFIX[lang] + case_token(public_id)
    page.goto(status)
    expect(page.locator(".dialogue")).to_contain_text("Vedlagt er prosjektbeskrivelsen.")
    assert axe_violations(page) == [], "status page with the dialogue"


def test_a_suggestion_is_attached_with_the_keyboard_alone(page: Page, server):
    email, enquiry_id, _ = in_app(server, lambda: _conversation("en"))
    sign_in(page, email)
    page.goto("/inbox/mail/unmatched")
    tab_to(page, ".unmatched__actions button:not(.button--secondary):not(.button--danger)")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/inbox/enquiries/{enquiry_id}$"))
    expect(page.locator("#timeline")).to_contain_text("Når kan vi snakke sammen?")
