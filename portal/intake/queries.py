"""Reads for the intake: an enquiry by its nonce, public id or reference; recent duplicates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

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

    Asked of every submission, so written against the table (Core): no ORM entity to load.
    """
    table = Enquiry.__table__
    query = select(table.c.id).where(table.c.body_hash == body_hash, table.c.created_at >= since)
    return db.session.execute(query.limit(1)).first() is not None
