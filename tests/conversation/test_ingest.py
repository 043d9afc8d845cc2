"""Inbound mail through the one service: matching, content, loop safety, bounces, duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.conversation.models import InboundAttachment, InboundMessage
from portal.conversation.reading import Unusable
from portal.conversation.services import SENDER_HOURLY_CAP, ingest
from portal.extensions import db
from portal.inbox import replies
from portal.intake.models import Enquiry, EnquiryEvent
from portal.outbox.addresses import bounce_address, reply_address
from portal.outbox.models import OutboxMessage
from portal.timestamps import utcnow
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry, make_staff

INBOUND = "sesam@usn.example"


def _events(enquiry_id: int, kind: str) -> list[EnquiryEvent]:
    stmt = select(EnquiryEvent).where(
        EnquiryEvent.enquiry_id == enquiry_id, EnquiryEvent.kind == kind
    )
    return list(db.session.scalars(stmt))


def _notices(kind: str = "enquirer_mail") -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _fresh(enquiry_id: int) -> Enquiry:
    db.session.expire_all()
    return db.session.get(Enquiry, enquiry_id)


def test_a_reply_in_the_thread_lands_on_the_timeline_without_the_quote(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    outcome = ingest(eml("gmail_nb_reply", thread=receipt.message_id))
    assert outcome.state == "attached" and outcome.enquiry_id == enquiry.id
    [event] = _events(enquiry.id, "enquirer_mail")
    assert event.body.startswith("Tusen takk! Vi kan møtes på tirsdag")
    assert "skrev SESAM" not in event.body and "takk for henvendelsen" not in event.body
    assert _fresh(enquiry.id).waiting_since is not None
    [notice] = _notices()
    assert notice.recipient == "staff@example.org" and enquiry.reference in notice.subject
    assert "Tusen takk" not in notice.body_text  # the notice never quotes the mail


def test_a_reply_to_the_signed_token_lands_and_tells_the_assignee(make_app):
    app = make_app(INBOUND_ADDRESS=INBOUND)
    with app.app_context():
        staff = make_staff(email="sara@usn.example", lang="en")
        enquiry = make_enquiry(email="ola@example.org", assignee_id=staff.id)
        to = reply_address(enquiry.id)
        assert to.startswith("sesam+") and len(to.split("@")[0]) <= 64 and to == to.lower()
        outcome = ingest(eml("outlook_nn_latin1", sender="ola@example.org", to=to.upper()))
        assert outcome.state == "attached"
        [event] = _events(enquiry.id, "enquirer_mail")
        assert event.body.startswith("Hei!\n\nVi har ikkje fått svar frå kommunen enno")
        assert "Opphavleg melding" not in event.body
        [notice] = _notices()
        assert notice.recipient == "sara@usn.example" and notice.lang == "en"


def test_a_forged_token_or_subject_from_another_address_is_unmatched(make_app):
    app = make_app(INBOUND_ADDRESS=INBOUND)
    with app.app_context():
        enquiry = make_enquiry(email="kari@example.org")
        token = reply_address(enquiry.id)
        forged = token[:10] + ("a" if token[10] != "a" else "b") + token[11:]
        outcome = ingest(eml("forged_subject", to=forged, reference=enquiry.reference))
        row = db.session.get(InboundMessage, outcome.inbound_id)
        assert row.state == "unmatched" and row.suggested_enquiry_id is None
        assert _events(enquiry.id, "enquirer_mail") == [] and _notices() == []


def test_the_right_address_and_subject_alone_only_suggest(app):
    enquiry = make_enquiry(email="kari@example.org")
    outcome = ingest(eml("subject_only", reference=enquiry.reference))
    row = db.session.get(InboundMessage, outcome.inbound_id)
    assert row.state == "unmatched" and row.reason == "suggested"
    assert row.suggested_enquiry_id == enquiry.id
    assert _events(enquiry.id, "enquirer_mail") == [] and _fresh(enquiry.id).waiting_since is None


def test_an_out_of_office_reply_shows_quietly(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    outcome = ingest(eml("out_of_office", thread=receipt.message_id))
    assert outcome.state == "attached"
    assert len(_events(enquiry.id, "enquirer_auto")) == 1
    assert _events(enquiry.id, "enquirer_mail") == []
    assert _fresh(enquiry.id).waiting_since is None
    assert _notices() == []
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reply")) is None


def test_a_delivery_report_to_the_bounce_address_fails_the_message(make_app):
    app = make_app(INBOUND_ADDRESS=INBOUND)
    with app.app_context():
        staff = make_staff()
        enquiry = make_enquiry(email="kari@example.org", assignee_id=staff.id)
        sent = replies.reply(enquiry.id, "Kan vi møtes?", staff.id)
        outcome = ingest(eml("dsn_failed", to=bounce_address(sent.id), thread=sent.message_id))
        assert outcome.state == "attached"
        db.session.expire_all()
        original = db.session.get(OutboxMessage, sent.id)
        assert original.status == "failed" and "550 5.1.1" in original.last_error
        assert len(_events(enquiry.id, "mail_bounced")) == 1
        [notice] = _notices("mail_bounced")
        assert notice.recipient == staff.email


def test_a_report_found_by_the_quoted_message_id_fails_it_too(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    ingest(eml("dsn_failed", thread=receipt.message_id))
    db.session.expire_all()
    assert db.session.get(OutboxMessage, receipt.id).status == "failed"


def test_a_message_read_twice_is_kept_once(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    raw = eml("gmail_nb_reply", thread=receipt.message_id)
    assert ingest(raw).state == "attached"
    assert ingest(raw).state == "duplicate"
    assert len(_events(enquiry.id, "enquirer_mail")) == 1
    assert db.session.scalar(select(db.func.count(InboundMessage.id))) == 1


def test_a_reply_for_an_anonymised_enquiry_is_unmatched(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    enquiry.anonymised_at = utcnow()
    db.session.commit()
    outcome = ingest(eml("gmail_nb_reply", thread=receipt.message_id))
    row = db.session.get(InboundMessage, outcome.inbound_id)
    assert row.state == "unmatched" and row.reason == "anonymised"
    assert _events(enquiry.id, "enquirer_mail") == []


def test_mail_from_a_staff_address_is_unmatched(app):
    make_staff(email="sara@usn.example")
    enquiry = make_enquiry()
    receipt = receipt_of(enquiry)
    outcome = ingest(eml("gmail_nb_reply", sender="sara@usn.example", thread=receipt.message_id))
    assert db.session.get(InboundMessage, outcome.inbound_id).reason == "staff"


def test_html_only_mail_becomes_text(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    ingest(eml("thunderbird_html_only", thread=receipt.message_id))
    [event] = _events(enquiry.id, "enquirer_mail")
    assert "Her er tallene dere ba om: 42 deltakere." in event.body
    assert "<" not in event.body and "alert" not in event.body
    assert "Kan du sende tallene" not in event.body


def test_attachments_are_kept_when_allowed_and_listed_when_not(app):
    enquiry = make_enquiry(email="per@example.org")
    receipt = receipt_of(enquiry)
    outcome = ingest(eml("outlook_winmail_attachments", thread=receipt.message_id))
    files = {
        a.filename: a
        for a in db.session.scalars(
            select(InboundAttachment).where(InboundAttachment.inbound_id == outcome.inbound_id)
        )
    }
    assert files["prosjekt.pdf"].data.startswith(b"%PDF") and files["prosjekt.pdf"].size > 0
    assert files["winmail.dat"].data is None and files["winmail.dat"].size > 0
    [event] = _events(enquiry.id, "enquirer_mail")
    assert event.body == "Vedlagt er prosjektbeskrivelsen."


def test_a_message_over_the_limit_is_kept_without_its_attachments(make_app):
    app = make_app(INBOUND_MAX_BYTES=500)
    with app.app_context():
        enquiry = make_enquiry(email="per@example.org")
        receipt = receipt_of(enquiry)
        outcome = ingest(eml("outlook_winmail_attachments", thread=receipt.message_id))
        row = db.session.get(InboundMessage, outcome.inbound_id)
        assert row.attachments_dropped and b"JVBERi0" not in row.raw
        names = db.session.scalars(
            select(InboundAttachment.filename).where(InboundAttachment.data.is_(None))
        ).all()
        assert sorted(names) == ["prosjekt.pdf", "winmail.dat"]


def test_beyond_the_hourly_cap_mail_is_kept_but_nobody_is_told(app):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    for _ in range(SENDER_HOURLY_CAP + 2):
        ingest(eml("gmail_nb_reply", thread=receipt.message_id))
    assert len(_events(enquiry.id, "enquirer_mail")) == SENDER_HOURLY_CAP + 2
    assert len(_notices()) == SENDER_HOURLY_CAP


def test_answering_ends_waiting_and_threads_with_the_receipt(app):
    staff = make_staff()
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    ingest(eml("gmail_nb_reply", thread=receipt.message_id))
    inbound_id = db.session.scalar(select(InboundMessage.message_id))
    assert _fresh(enquiry.id).waiting_since is not None
    sent = replies.reply(enquiry.id, "Tirsdag passer fint.", staff.id)
    assert _fresh(enquiry.id).waiting_since is None
    assert sent.in_reply_to == inbound_id
    assert sent.thread_references == f"{receipt.message_id} {inbound_id}"


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\n\nno headers at all\n"])
def test_no_message_at_all_is_unusable(app, raw):
    with pytest.raises(Unusable):
        ingest(raw)
