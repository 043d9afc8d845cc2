"""Outgoing mail invites an answer: Reply-To the signed token or the status page, never a
personal address, one greeting and one sign-off, and the composer previews exactly that."""

from __future__ import annotations

from html import unescape

import pytest

from portal.extensions import db
from portal.inbox import replies
from portal.outbox.addresses import (
    bounce_address,
    bounce_token,
    enquiry_from_token,
    outbox_from_bounce_token,
    reply_token,
)
from portal.outbox.models import OutboxMessage
from tests.conversation.support import receipt_of
from tests.factories import make_enquiry, make_staff
from tests.staff_forms import post


def test_reply_tokens_are_lower_case_signed_and_short(app):
    token = reply_token(123456)
    assert token == token.lower() and len("sesam+" + token) <= 64
    assert enquiry_from_token(token) == 123456
    assert enquiry_from_token(token.upper()) == 123456  # a mail system folded its case
    assert enquiry_from_token(token[:-1] + ("a" if token[-1] != "a" else "b")) is None
    assert enquiry_from_token("not-a-token") is None
    assert outbox_from_bounce_token(bounce_token(42)) == 42
    assert outbox_from_bounce_token("b-43-" + bounce_token(42).split("-")[2]) is None


def test_without_an_inbound_address_mail_asks_for_an_answer_on_the_status_page(app):
    staff = make_staff()
    enquiry = make_enquiry(email="kari@example.org", lang="en")
    receipt = receipt_of(enquiry)
    message = replies.reply(enquiry.id, "Could we meet on Tuesday?", staff.id)
    assert message.reply_to is None and receipt.reply_to is None
    assert bounce_address(message.id) is None
    assert "answer, you can do so on your status page:" in message.body_text
    assert "/en/contact/case/" in message.body_text
    assert "You can also reply to this email." not in receipt.body_text
    for mail in (message, receipt):
        assert "sent automatically" not in mail.body_text
        assert "sent automatically" not in mail.body_html


def test_with_an_inbound_address_mail_invites_a_reply_to_the_token(make_app):
    app = make_app(INBOUND_ADDRESS="sesam@usn.example")
    with app.app_context():
        staff = make_staff(email="sara@usn.example")
        enquiry = make_enquiry(email="kari@example.org", lang="nn")
        receipt = receipt_of(enquiry)
        message = replies.reply(enquiry.id, "Passar tysdag?", staff.id)
        for mail in (receipt, message):
            assert mail.reply_to.startswith("sesam+") and "sara" not in mail.reply_to
            assert enquiry_from_token(mail.reply_to[6:].split("@")[0]) == enquiry.id
        assert "Du kan svare på denne e-posten." in message.body_text
        assert "Du kan òg svare på denne e-posten." in receipt.body_text
        assert message.in_reply_to == receipt.message_id == message.thread_references


@pytest.mark.parametrize(
    ("body", "greetings", "sign_offs"),
    [
        ("Vi ringer deg.", 1, 1),
        ("Hei Kari!\n\nVi ringer deg.", 1, 1),
        ("Vi ringer deg.\n\nMed vennlig hilsen\nSara", 1, 1),
    ],
)
def test_a_reply_greets_and_signs_off_once(app, body, greetings, sign_offs):
    staff = make_staff(name="Sara Saksbehandler")
    enquiry = make_enquiry(name="Kari Nordmann")
    text = replies.reply(enquiry.id, body, staff.id).body_text
    assert text.count("Hei") == greetings
    assert text.count("Med vennlig hilsen") == sign_offs


def test_the_composer_previews_exactly_what_is_sent(app, client, login):
    staff = login(client)
    enquiry = make_enquiry(name="Kari Nordmann")
    page = f"/inbox/enquiries/{enquiry.id}"
    body = "Takk for sist.\n\nVi sender avtalen i morgen."
    response = post(client, page + "/reply/preview", {"reply-body": body}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Dette blir sendt" in html
    assert db.session.query(OutboxMessage).count() == 0  # nothing sent, nothing stored
    preview = html.split('class="long-text reply__preview-text">', 1)[1].split("</div>", 1)[0]
    assert "Vi sender avtalen i morgen." in html and body in html  # the text stays in the form
    post(client, page + "/reply", {"reply-body": body}, page=page)
    [sent] = db.session.query(OutboxMessage).filter_by(kind="reply").all()
    assert unescape(preview) == sent.body_text
    assert staff.name in sent.body_text


def test_an_empty_preview_comes_back_with_the_error(app, client, login):
    login(client)
    enquiry = make_enquiry()
    page = f"/inbox/enquiries/{enquiry.id}"
    response = post(client, page + "/reply/preview", {"reply-body": "  "}, page=page)
    assert response.status_code == 200 and "Skriv svaret." in response.get_data(as_text=True)
