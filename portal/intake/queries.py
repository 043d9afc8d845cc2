"""Reads for the intake: an enquiry by its nonce, public id or reference; recent duplicates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select

from portal.extensions import db
from portal.intake.models import Enquiry


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
