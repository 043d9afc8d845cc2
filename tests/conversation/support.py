"""Inbound mail for the conversation tests: the ``.eml`` fixtures under ``mail/``, filled in."""

from __future__ import annotations

import itertools
from pathlib import Path

from portal.intake.mail import enqueue_arrival_mail
from portal.outbox.models import OutboxMessage

MAIL = Path(__file__).parent / "mail"
_numbers = itertools.count(1)


def eml(name: str, *, sender="kari@example.org", to="sesam@usn.example", reference="", thread=""):
    """The fixture ``mail/<name>.eml`` with its placeholders filled in, and a fresh Message-ID."""
    raw = (MAIL / f"{name}.eml").read_bytes()
    for key, value in (
        ("{SENDER}", sender),
        ("{TO}", to),
        ("{REFERENCE}", reference),
        ("{IN_REPLY_TO}", thread or "<none@example.org>"),
        ("{N}", str(next(_numbers))),
    ):
        raw = raw.replace(key.encode(), value.encode())
    return raw


def receipt_of(enquiry) -> OutboxMessage:
    """Queue the enquiry's receipt (as the form does) and return it."""
    from portal.extensions import db

    enqueue_arrival_mail(enquiry, None)
    db.session.commit()
    return db.session.query(OutboxMessage).filter_by(enquiry_id=enquiry.id, kind="receipt").one()
