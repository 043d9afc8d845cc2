"""Conversation reads: the thread a mail joins, unmatched mail, one inbound message."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import defer

from portal.conversation.models import InboundAttachment, InboundMessage
from portal.extensions import db
from portal.outbox.models import OutboxMessage

UNMATCHED_PAGE = 100


def thread_of(enquiry_id: int) -> list[str]:
    """The Message-IDs a new mail about the enquiry answers: the receipt's, then the
    enquirer's latest mail (either may be missing)."""
    receipt = db.session.scalar(
        select(OutboxMessage.message_id)
        .where(OutboxMessage.enquiry_id == enquiry_id, OutboxMessage.kind == "receipt")
        .order_by(OutboxMessage.id)
        .limit(1)
    )
    latest = db.session.scalar(
        select(InboundMessage.message_id)
        .where(InboundMessage.enquiry_id == enquiry_id, InboundMessage.kind == "reply")
        .order_by(InboundMessage.id.desc())
        .limit(1)
    )
    return [ref for ref in (receipt, latest) if ref]


def unmatched() -> list[InboundMessage]:
    """Unmatched mail, newest first."""
    stmt = (
        select(InboundMessage)
        .options(defer(InboundMessage.raw))  # the page links to it; it can be megabytes
        .where(InboundMessage.state == "unmatched")
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(UNMATCHED_PAGE)
    )
    return list(db.session.scalars(stmt))


def inbound(inbound_id: int) -> InboundMessage | None:
    return db.session.get(InboundMessage, inbound_id)


def attachments_of(inbound_ids: list[int]) -> dict[int, list[InboundAttachment]]:
    """The attachments of each message (their data left in the database), by message id."""
    found: dict[int, list[InboundAttachment]] = {}
    if not inbound_ids:
        return found
    stmt = (
        select(InboundAttachment)
        .options(defer(InboundAttachment.data))
        .where(InboundAttachment.inbound_id.in_(inbound_ids))
        .order_by(InboundAttachment.id)
    )
    for attachment in db.session.scalars(stmt):
        found.setdefault(attachment.inbound_id, []).append(attachment)
    return found


def attachment(attachment_id: int) -> InboundAttachment | None:
    return db.session.get(InboundAttachment, attachment_id)


def inbound_of(enquiry_id: int) -> list[InboundMessage]:
    """The mail attached to an enquiry (without the raw message), oldest first."""
    stmt = (
        select(InboundMessage)
        .options(defer(InboundMessage.raw))
        .where(InboundMessage.enquiry_id == enquiry_id)
        .order_by(InboundMessage.id)
    )
    return list(db.session.scalars(stmt))
