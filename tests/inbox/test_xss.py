"""Hostile enquiry content is inert everywhere the inbox shows it (SECURITY.md A5, section 4)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from portal.extensions import db
from portal.inbox import replies, services
from portal.outbox.models import OutboxMessage
from tests.factories import make_enquiry, make_staff

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = SCRIPT + IMG
RAW = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>")


def hostile_enquiry(**overrides):
    return make_enquiry(
        name=HOSTILE,
        phone=IMG[:40],
        organisation=HOSTILE,
        org_number="<b>x</b>",
        problem=HOSTILE,
        affected=HOSTILE,
        message=HOSTILE,
        accessibility_needs=HOSTILE,
        source_page="javascript:alert(1)//" + IMG,
        **overrides,
    )


def assert_inert(html: str) -> None:
    for raw in RAW:
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_list_and_detail_escape_every_field(client, staff):
    colleague = make_staff(name=SCRIPT + " Kollega")
    enquiry = hostile_enquiry(assignee_id=colleague.id)
    services.add_note(enquiry.id, HOSTILE, staff.id)
    services.set_tags(enquiry.id, ["ungdom"], staff.id)
    replies.reply(enquiry.id, HOSTILE, staff.id)
    assert_inert(client.get("/inbox/").get_data(as_text=True))
    assert_inert(client.get(f"/inbox/?q=alert&assignee={colleague.id}").get_data(as_text=True))
    detail = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert_inert(detail)
    assert 'href="javascript:' not in detail


def test_fragments_escape_too(client, staff):
    enquiry = hostile_enquiry()
    services.add_note(enquiry.id, HOSTILE, staff.id)
    for target in ("timeline", "triage", "reply"):
        response = client.get(
            f"/inbox/enquiries/{enquiry.id}", headers={"HX-Request": "true", "HX-Target": target}
        )
        html = response.get_data(as_text=True)
        for raw in RAW:
            assert raw not in html


def test_a_hostile_reply_template_is_shown_as_text(client, login):
    admin = login(client, role="admin")
    template = replies.save_template(None, SCRIPT, "nb", HOSTILE + " {name}")
    assert_inert(client.get("/inbox/admin/templates").get_data(as_text=True))
    assert_inert(client.get(f"/inbox/admin/templates/{template.id}").get_data(as_text=True))
    enquiry = hostile_enquiry()
    page = client.get(f"/inbox/enquiries/{enquiry.id}?template={template.id}")
    assert_inert(page.get_data(as_text=True))
    assert admin.is_admin


def test_the_csv_holds_the_text_as_data(client, staff):
    hostile_enquiry()
    response = client.get("/inbox/export.csv")
    text = response.get_data().decode("utf-8")
    response.close()
    header, row = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    record = dict(zip(header, row, strict=True))
    assert record["Navn"] == HOSTILE and record["Det sosiale problemet"] == HOSTILE
    assert response.content_type.startswith("text/csv")


def test_emails_escape_hostile_names_and_text(app):
    actor = make_staff(name=SCRIPT)
    colleague = make_staff()
    enquiry = hostile_enquiry(email="kari@example.org")
    replies.reply(enquiry.id, HOSTILE, actor.id)
    services.assign(enquiry.id, colleague.id, actor.id)
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert {m.kind for m in messages} == {"reply", "assigned"}
    for message in messages:
        for raw in RAW:
            assert raw not in message.body_html
        assert "&lt;script&gt;" in message.body_html
        assert "\n" not in message.subject and "<" not in message.subject
    reply = next(m for m in messages if m.kind == "reply")
    assert HOSTILE in reply.body_text  # the text part shows what was written, verbatim
