"""The inbox in a real Chromium: a day's work, a keyboard-only pass, axe-core, hostile content.

The portal runs in a thread with a real SMTP server behind the outbox; every test gets its own
browser context pointed at its own portal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.inbox import replies, services
from portal.intake.models import Enquiry
from portal.outbox.delivery import deliver_all_due
from tests.axe import axe_violations
from tests.factories import DEFAULT_PASSWORD, make_enquiry, make_staff
from tests.keyboard import tab_to
from tests.staff_browser import in_app, sign_in

pytestmark = pytest.mark.browser
LANGS = ("nb", "nn", "en")


@pytest.fixture
def server(make_app, smtp_config, live_server_factory):
    """This test's portal, its outbox sending to the test SMTP server."""
    return live_server_factory(make_app(**smtp_config))


def test_a_staff_members_day(page: Page, server, smtp_server):
    _, handler = smtp_server

    def setup():
        me = make_staff(email="sara@usn.example", name="Sara Saksbehandler", lang="en")
        make_staff(email="ola@usn.example", name="Ola Kollega", lang="nn")
        make_enquiry(problem="Biblioteket vil samarbeide om lesing.", organisation="Bø bibliotek")
        enquiry = make_enquiry(
            name="Kari Nordmann",
            email="kari@example.org",
            lang="nb",
            problem="Eldre på bygda er ensomme etter at bussen ble lagt ned.",
        )
        return me.email, enquiry.id, enquiry.reference

    email, enquiry_id, reference = in_app(server, setup)
    sign_in(page, email)

    # Filter: the results swap in place and the URL follows (bookmarkable, back button).
    page.locator(".filter-panel__toggle").click()
    page.fill("#q", "ensomme")
    page.locator("#filters-apply").click()
    expect(page).to_have_url(re.compile(r"q=ensomme"))
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.select_option("#status", "new")
    expect(page).to_have_url(re.compile(r"status=new"))
    expect(page.locator(".chip")).to_have_count(2)
    page.go_back()
    expect(page).to_have_url(re.compile(r"^(?!.*status=new).*q=ensomme"))
    expect(page.locator("#q")).to_have_value("ensomme")

    # Open, assign, note, reply, change the status: each panel updates in place.
    page.get_by_role("link", name=reference).click()
    expect(page.locator("h1")).to_contain_text(reference)
    page.select_option("#assignee", label="Ola Kollega")
    page.locator("#triage-save").click()
    expect(page.locator("#timeline")).to_contain_text("gave the enquiry to Ola Kollega")
    page.fill("#note-body", "Called her; she prefers email.")
    page.locator("#note-submit").click()
    expect(page.locator("#timeline")).to_contain_text("Called her; she prefers email.")
    expect(page.locator("#note-body")).to_have_value("")
    page.fill("#reply-body", "Takk for henvendelsen. Vi tar gjerne et møte.")
    page.locator("#reply-submit").click()
    expect(page.locator("#messages")).to_contain_text("in the outbox")
    expect(page.locator("#timeline")).to_contain_text("Waiting to be sent")
    expect(page.locator("#triage")).to_contain_text("In dialogue")

    report = in_app(server, lambda: deliver_all_due(worker_id="browser-test"))
    assert report.sent >= 2  # the assignment notice and the reply
    replies_sent = [m for m in handler.parsed() if m["To"] == "kari@example.org"]
    assert len(replies_sent) == 1
    assert reference in replies_sent[0]["Subject"]
    assert replies_sent[0]["Reply-To"] is None  # never the staff address
    page.reload()
    expect(page.locator("#timeline")).to_contain_text("Sent")

    page.select_option("#status", "closed")
    page.locator("#triage-save").click()
    expect(page.locator("#outcome-error")).to_contain_text("Choose what came of it.")
    expect(page.locator("#status")).to_have_value("closed")  # what was chosen stays
    page.select_option("#outcome", "no_reply")
    page.locator("#triage-save").click()
    expect(page.locator("#triage .badge").first).to_have_text("Closed")
    expect(page.locator("#timeline")).to_contain_text("from In dialogue to Closed")
    assert in_app(server, lambda: db.session.get(Enquiry, enquiry_id).status) == "closed"

    # Export what the list shows.
    page.goto("/inbox/?status=closed")
    with page.expect_download() as download:
        page.get_by_text("Download as CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.startswith("\ufeffReference;") and reference in content


def test_a_keyboard_only_pass(page: Page, server):
    def setup():
        me = make_staff(email="kb@usn.example", lang="nb")
        enquiry = make_enquiry(problem="Ungdomsrådet vil være med å forme nye møteplasser.")
        return me.email, enquiry.id, enquiry.reference

    email, enquiry_id, reference = in_app(server, setup)
    page.goto("/inbox/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/inbox/$"))

    tab_to(page, ".filter-panel__toggle")
    page.keyboard.press("Enter")
    tab_to(page, "#q")
    page.keyboard.type("ungdomsrådet")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=ungdomsr"))
    tab_to(page, f'a[href="/inbox/enquiries/{enquiry_id}"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(reference)

    tab_to(page, "#status")
    page.keyboard.press("ArrowDown")  # new -> triaged
    tab_to(page, "#triage-save")
    page.keyboard.press("Enter")
    expect(page.locator("#timeline")).to_contain_text("fra Ny til Vurdert")
    tab_to(page, "#note-body")
    page.keyboard.type("Notert med tastaturet.")
    tab_to(page, "#note-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#timeline")).to_contain_text("Notert med tastaturet.")
    assert in_app(server, lambda: db.session.get(Enquiry, enquiry_id).status) == "triaged"


@pytest.mark.parametrize("lang", LANGS)
def test_every_inbox_screen_is_axe_clean(page: Page, server, lang):
    def setup():
        admin = make_staff(email=f"axe-{lang}@usn.example", role="admin", lang=lang)
        colleague = make_staff(name="Ola Kollega")
        first = make_enquiry(
            email="same@example.org",
            status="triaged",
            priority="high",
            assignee_id=colleague.id,
            message="Ring meg gjerne.",
        )
        enquiry = make_enquiry(email="same@example.org")
        make_enquiry(status="spam")
        services.set_tags(enquiry.id, ["ungdom"], admin.id)
        services.add_note(enquiry.id, "Et notat.", admin.id)
        replies.reply(enquiry.id, "Et svar.", admin.id)
        services.assign(enquiry.id, colleague.id, admin.id)
        template = replies.save_template(None, "Takk", lang, "Takk, {name}.")
        return admin.email, enquiry.id, first.id, template.id

    email, enquiry_id, other_id, template_id = in_app(server, setup)
    sign_in(page, email)
    screens = [
        "/inbox/",
        "/inbox/?status=spam",
        "/inbox/?q=nothing-matches-this",
        f"/inbox/enquiries/{enquiry_id}",
        f"/inbox/enquiries/{other_id}",
        "/inbox/admin/routing",
        "/inbox/admin/templates",
        "/inbox/admin/templates/new",
        f"/inbox/admin/templates/{template_id}",
    ]
    for path in screens:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert axe_violations(page) == [], path
    # And after htmx swaps: a panel with an error, and the refreshed timeline.
    page.goto(f"/inbox/enquiries/{enquiry_id}")
    page.fill("#tags", "ungdom, <b>")
    page.locator("#triage-save").click()
    expect(page.locator("#triage .field__error")).to_be_visible()
    page.fill("#note-body", "Enda et notat.")
    page.locator("#note-submit").click()
    expect(page.locator("#timeline")).to_contain_text("Enda et notat.")
    assert axe_violations(page) == []


def test_hostile_content_never_runs(page: Page, server):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'

    def setup():
        me = make_staff(email="xss@usn.example", role="admin", name=hostile[:60], lang="en")
        enquiry = make_enquiry(
            name=hostile,
            organisation=hostile,
            problem=hostile,
            message=hostile,
            affected=hostile,
            accessibility_needs=hostile,
        )
        services.add_note(enquiry.id, hostile, me.id)
        services.set_tags(enquiry.id, ["ungdom"], me.id)
        template = replies.save_template(None, hostile[:100], "nb", hostile + " {name}")
        return me.email, enquiry.id, template.id

    email, enquiry_id, template_id = in_app(server, setup)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, email)
    page.goto("/inbox/?q=" + "alert")
    page.goto(f"/inbox/enquiries/{enquiry_id}")
    page.fill("#note-body", hostile)
    page.locator("#note-submit").click()
    expect(page.locator("#timeline .timeline__body")).to_have_count(2)
    page.select_option("#reply-template", str(template_id))
    page.locator("#reply-template-use").click()
    expect(page.locator("#reply-body")).to_have_value(hostile + " " + hostile)
    page.goto("/inbox/admin/templates")
    page.goto(f"/inbox/admin/templates/{template_id}")
    page.goto("/inbox/?q=" + hostile)
    assert dialogs == []
    assert page.locator("img[src=x]").count() == 0
    rows = in_app(server, lambda: db.session.scalars(select(Enquiry.name)).all())
    assert rows == [hostile]
