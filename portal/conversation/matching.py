"""Which enquiry an inbound message belongs to, in SPEC's order (read only).

(1) ``In-Reply-To``/``References`` name a Message-ID the portal sent; (2) the signed reply token
in the address it was sent to; (3) a reference in the subject from the enquiry's own address,
which is only a *suggestion* (a subject and a From header are easy to forge). Mail from a staff
account's address, and mail for an anonymised enquiry, is unmatched whatever it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.accounts.models import StaffUser
from portal.conversation.reading import Reading, references_in
from portal.extensions import db
from portal.intake.models import Enquiry
from portal.outbox.addresses import enquiry_from_token, outbox_from_bounce_token, plus_tag
from portal.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Match:
    """Where a message goes: ``enquiry`` when attached; else ``reason`` and maybe a suggestion."""

    enquiry: Enquiry | None = None
    rule: str | None = None  # "thread", "token"
    reason: str | None = None  # why unmatched: "none", "suggested", "staff", "anonymised"
    suggestion: Enquiry | None = None


def bounced_message(reading: Reading) -> OutboxMessage | None:
    """The outbox message a delivery report is about: by its bounce address, else by the
    Message-ID the report quotes."""
    for address in reading.recipients:
        tag = plus_tag(address)
        outbox_id = outbox_from_bounce_token(tag) if tag else None
        if outbox_id is not None:
            found = db.session.get(OutboxMessage, outbox_id)
            if found is not None:
                return found
    if reading.reported_ids:
        stmt = select(OutboxMessage).where(OutboxMessage.message_id.in_(reading.reported_ids))
        return db.session.scalars(stmt.limit(1)).first()
    return None


def match(reading: Reading) -> Match:
    """Find the enquiry for ``reading`` (see the module's docstring)."""
    enquiry, rule = _by_thread(reading), "thread"
    if enquiry is None:
        enquiry, rule = _by_token(reading), "token"
    if enquiry is None:
        suggestion = _by_subject(reading)
        return Match(reason="suggested" if suggestion else "none", suggestion=suggestion)
    if _from_staff(reading.sender):
        return Match(reason="staff")
    if enquiry.is_anonymised:
        return Match(reason="anonymised")
    return Match(enquiry=enquiry, rule=rule)


def _by_thread(reading: Reading) -> Enquiry | None:
    ids = reading.thread_ids[:50]
    if not ids:
        return None
    stmt = (
        select(OutboxMessage.enquiry_id)
        .where(OutboxMessage.message_id.in_(ids), OutboxMessage.enquiry_id.is_not(None))
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    enquiry_id = db.session.scalar(stmt)
    return db.session.get(Enquiry, enquiry_id) if enquiry_id else None


def _by_token(reading: Reading) -> Enquiry | None:
    for address in reading.recipients:
        tag = plus_tag(address)
        enquiry_id = enquiry_from_token(tag) if tag else None
        if enquiry_id is not None:
            return db.session.get(Enquiry, enquiry_id)
    return None


def _by_subject(reading: Reading) -> Enquiry | None:
    references = references_in(reading.subject)
    if not references or not reading.sender:
        return None
    stmt = select(Enquiry).where(
        Enquiry.reference.in_(references),
        func.lower(Enquiry.email) == reading.sender,
        Enquiry.anonymised_at.is_(None),
    )
    return db.session.scalars(stmt.limit(1)).first()


def _from_staff(sender: str) -> bool:
    stmt = select(StaffUser.id).where(StaffUser.email == sender).limit(1)
    return bool(sender) and db.session.scalar(stmt) is not None
