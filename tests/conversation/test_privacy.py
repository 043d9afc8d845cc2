"""The retention purge reaches the enquirer's mail: attached mail goes with its enquiry,
discarded unmatched mail after SPAM_RETENTION_DAYS; a later reply to it is unmatched."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from portal.conversation.models import InboundAttachment, InboundMessage
from portal.conversation.services import discard, ingest
from portal.extensions import db
from portal.privacy import retention
from portal.timestamps import utcnow
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry, make_staff


def test_anonymising_an_enquiry_clears_its_mail_and_later_replies_stay_unmatched(app):
    enquiry = make_enquiry(email="per@example.org")
    receipt = receipt_of(enquiry)
    ingest(eml("outlook_winmail_attachments", sender="per@example.org", thread=receipt.message_id))
    retention.anonymise([(enquiry.id, enquiry.reference, "erasure")], actor_id=None, now=utcnow())
    db.session.commit()
    db.session.expire_all()
    [mail] = db.session.scalars(select(InboundMessage)).all()
    assert (mail.sender, mail.body_text, mail.raw, mail.subject) == ("", None, None, None)
    files = db.session.scalars(select(InboundAttachment)).all()
    assert files and all(f.data is None and f.filename == "" for f in files)
    again = ingest(eml("gmail_nb_reply", thread=receipt.message_id))
    assert db.session.get(InboundMessage, again.inbound_id).reason == "anonymised"


def test_discarded_mail_is_cleared_after_the_spam_retention(make_app):
    app = make_app(SPAM_RETENTION_DAYS=30)
    with app.app_context():
        staff = make_staff()
        old = ingest(eml("forged_subject"))
        fresh = ingest(eml("forged_subject"))
        with time_machine.travel(utcnow() - timedelta(days=31)):
            discard(old.inbound_id, staff.id)
        discard(fresh.inbound_id, staff.id)
        report = retention.purge()
        assert report.discarded_mail == 1
        db.session.expire_all()
        assert db.session.get(InboundMessage, old.inbound_id).raw is None
        assert db.session.get(InboundMessage, fresh.inbound_id).raw is not None
