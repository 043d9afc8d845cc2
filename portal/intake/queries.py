"""Reads for the intake: an enquiry by its nonce, public id or reference; recent duplicates;
where a receipt went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.intake.models import Enquiry, EnquiryEvent
from portal.outbox.models import OutboxMessage

# What the enquirer's status page shows of the timeline: their own words and SESAM's replies,
# never internal notes, changes or automatic mail.
DIALOGUE = ("enquirer_added", "enquirer_mail", "reply")


def enquiry_by_nonce(nonce: str) -> Enquiry | None:
    """The enquiry a form token already created (R3: a replay returns it).

    Asks for the id first: nearly every token is new, and then nothing more is read.
    """
    found = db.session.scalar(select(Enquiry.id).where(Enquiry.form_nonce == nonce))
    return None if found is None else db.session.get(Enquiry, found)


def enquiry_by_public_id(public_id: str) -> Enquiry | None:
    """The enquiry behind a status-page link."""
    return db.session.scalars(select(Enquiry).where(Enquiry.public_id == public_id)).first()


def body_seen_since(body_hash: str, since: datetime) -> bool:
    """True if an enquiry with the same text fingerprint arrived after ``since``.

    Asked of every submission, so written against the table (Core), and built once.
    """
    found = db.session.execute(_SEEN_SINCE, {"body_hash": body_hash, "since": since})
    return found.first() is not None


_table = Enquiry.__table__
_SEEN_SINCE = (
    select(_table.c.id)
    .where(_table.c.body_hash == bindparam("body_hash"), _table.c.created_at >= bindparam("since"))
    .limit(1)
)


def resent_enquiry(email: str, body_hash: str, since: datetime) -> Enquiry | None:
    """The enquiry that the same address sent with the same text after ``since``, if any.

    The same person pressing send again (a reload, a second tab, a slow connection) gets the
    first enquiry's receipt; identical text from another address is left to the spam check.
    """
    found = db.session.scalar(
        select(Enquiry.id)
        .where(
            Enquiry.body_hash == body_hash,
            Enquiry.created_at >= since,
            func.lower(Enquiry.email) == email.strip().lower(),
        )
        .order_by(Enquiry.created_at)
        .limit(1)
    )
    return None if found is None else db.session.get(Enquiry, found)


def receipt_recipient(reference: str) -> str | None:
    """The address the enquiry's receipt mail was queued to, or None if none was (spam)."""
    return db.session.scalar(
        select(OutboxMessage.recipient)
        .join(Enquiry, Enquiry.id == OutboxMessage.enquiry_id)
        .where(Enquiry.reference == reference, OutboxMessage.kind == "receipt")
        .limit(1)
    )


def dialogue(enquiry_id: int) -> list[EnquiryEvent]:
    """The conversation the status page shows (DIALOGUE), oldest first, with who replied."""
    stmt = (
        select(EnquiryEvent)
        .options(joinedload(EnquiryEvent.actor))
        .where(EnquiryEvent.enquiry_id == enquiry_id, EnquiryEvent.kind.in_(DIALOGUE))
        .order_by(EnquiryEvent.created_at, EnquiryEvent.id)
    )
    return list(db.session.scalars(stmt))
