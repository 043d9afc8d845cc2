"""The one inbound service both doors use (``mail fetch`` and ``mail ingest``), and staff's
decisions on unmatched mail.

``ingest`` keeps each message once: the unique Message-ID turns a second copy away, also when
two fetchers read the same message at once (the second insert waits for the first and fails).
A matched answer goes on the enquiry's timeline, makes it "waiting for us" and tells whoever
handles it; auto-replies and list mail show quietly; a delivery report marks the message it is
about failed. Nothing is ever answered automatically.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.parser import BytesParser

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.conversation.matching import Match, bounced_message, match
from portal.conversation.models import InboundAttachment, InboundMessage
from portal.conversation.reading import Reading, body_text, read_message
from portal.database import begin_writing, transaction
from portal.extensions import db
from portal.intake.mail import notify_handler
from portal.intake.models import Enquiry, EnquiryEvent
from portal.timestamps import utcnow

log = logging.getLogger(__name__)
SENDER_HOURLY_CAP = 20  # more mail than this from one sender in an hour tells nobody
# What staff may download: documents, images and plain text; anything else is listed only.
ALLOWED_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "text/plain": (".txt",),
    "text/csv": (".csv",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
}


def allowed(filename: str, content_type: str) -> bool:
    """A type on the allow-list whose file name ends as that type's do (SECURITY A6)."""
    endings = ALLOWED_TYPES.get(content_type)
    return bool(endings) and filename.lower().endswith(endings)


@dataclass(frozen=True)
class Outcome:
    """What ``ingest`` did: ``state`` of the kept row, or ``duplicate`` for a second copy."""

    state: str
    inbound_id: int | None = None
    enquiry_id: int | None = None


def ingest(raw: bytes) -> Outcome:
    """Keep one inbound message (see the module's docstring); one transaction.

    Raises reading.Unusable for input that is no mail message; database errors propagate after
    a rollback (the message stays in the mailbox, or the MTA tries again).
    """
    reading = read_message(raw)
    try:
        begin_writing()
        if db.session.scalar(
            select(InboundMessage.id).where(InboundMessage.message_id == reading.message_id)
        ):
            db.session.rollback()
            return Outcome("duplicate")
        inbound = _new_row(reading, raw)
        db.session.add(inbound)
        db.session.flush()  # the unique Message-ID decides here between two fetchers
        _attach_files(inbound, reading)
        if reading.report:
            _bounce(inbound, reading)
        else:
            _place(inbound, reading, match(reading))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return Outcome("duplicate")
    except Exception:
        db.session.rollback()
        raise
    log.info("inbound mail %s: %s (%s)", inbound.id, inbound.state, inbound.kind)
    return Outcome(inbound.state, inbound.id, inbound.enquiry_id)


def _new_row(reading: Reading, raw: bytes) -> InboundMessage:
    limit = current_app.config["INBOUND_MAX_BYTES"]
    too_big = len(raw) > limit
    return InboundMessage(
        message_id=reading.message_id,
        state="unmatched",
        kind="auto" if reading.automatic else "reply",
        sender=reading.sender or "",
        sender_name=reading.sender_name,
        subject=reading.subject,
        body_text=reading.text,
        raw=_without_attachments(raw) if too_big else raw,
        attachments_dropped=too_big and bool(reading.attachments),
        notified=False,
        received_at=utcnow(),
    )


def _without_attachments(raw: bytes) -> bytes:
    """An over-large message as kept: its headers and its text, its attachments left out."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    return head + b"\n\n" + body_text(message).encode("utf-8", "replace")


def _attach_files(inbound: InboundMessage, reading: Reading) -> None:
    for attachment in reading.attachments:
        kept = not inbound.attachments_dropped and allowed(
            attachment.filename, attachment.content_type
        )
        db.session.add(
            InboundAttachment(
                inbound_id=inbound.id,
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=len(attachment.data),
                data=attachment.data if kept else None,
            )
        )


def _place(inbound: InboundMessage, reading: Reading, found: Match) -> None:
    if found.enquiry is None:
        inbound.reason = found.reason
        inbound.suggested_enquiry_id = found.suggestion.id if found.suggestion else None
        return
    attach(inbound, found.enquiry, actor_id=None)


def attach(inbound: InboundMessage, enquiry: Enquiry, actor_id: int | None) -> None:
    """Put ``inbound`` on ``enquiry``'s timeline (add only): an answer makes the enquiry wait
    for SESAM and tells its handler, unless the sender wrote too much this hour; auto-replies
    show quietly."""
    now = utcnow()
    inbound.state, inbound.enquiry_id, inbound.reason = "attached", enquiry.id, None
    inbound.suggested_enquiry_id = None
    if actor_id is not None:
        inbound.decided_by_id, inbound.decided_at = actor_id, now
    automatic = inbound.kind == "auto"
    db.session.add(
        EnquiryEvent(
            enquiry_id=enquiry.id,
            kind="enquirer_auto" if automatic else "enquirer_mail",
            actor_id=actor_id,
            after=str(inbound.id),
            body=inbound.body_text,
            created_at=now,
        )
    )
    if automatic:
        return
    enquiry.updated_at = now
    if enquiry.waiting_since is None:
        enquiry.waiting_since = now
    if not _over_cap(inbound):
        inbound.notified = notify_handler(enquiry, "enquirer_mail")


def _over_cap(inbound: InboundMessage) -> bool:
    since = utcnow() - timedelta(hours=1)
    stmt = select(func.count(InboundMessage.id)).where(
        InboundMessage.sender == inbound.sender,
        InboundMessage.received_at >= since,
        InboundMessage.id != inbound.id,
    )
    return db.session.scalar(stmt) >= SENDER_HOURLY_CAP


def _bounce(inbound: InboundMessage, reading: Reading) -> None:
    inbound.kind = "bounce"
    original = bounced_message(reading)
    if original is None or not reading.failed:
        inbound.reason = "none"
        return
    inbound.state, inbound.outbox_message_id = "attached", original.id
    inbound.enquiry_id = original.enquiry_id
    original.status = "failed"
    original.last_error = f"bounced: {reading.diagnostic or 'delivery failed'}"[:500]
    enquiry = db.session.get(Enquiry, original.enquiry_id) if original.enquiry_id else None
    if enquiry is None:
        return
    db.session.add(
        EnquiryEvent(
            enquiry_id=enquiry.id,
            kind="mail_bounced",
            after=str(original.id),
            body=original.last_error,
            created_at=utcnow(),
        )
    )
    # Only mail to the enquirer: a notice to staff that bounced must not make another notice.
    if original.recipient.lower() == (enquiry.email or "").lower():
        inbound.notified = notify_handler(enquiry, "mail_bounced")


def discard(inbound_id: int, actor_id: int) -> InboundMessage:
    """Staff set an unmatched message aside (kept, audited). LookupError if it is not unmatched."""
    with transaction():
        inbound = db.session.get(InboundMessage, inbound_id)
        if inbound is None or inbound.state != "unmatched":
            raise LookupError(inbound_id)
        inbound.state, inbound.decided_by_id, inbound.decided_at = "discarded", actor_id, utcnow()
    log.info("inbound mail %s discarded by staff %s", inbound.id, actor_id)
    return inbound


def attach_by_staff(inbound_id: int, reference: str, actor_id: int) -> InboundMessage:
    """Staff attach an unmatched message to the enquiry with ``reference``.

    Raises LookupError if the message is not unmatched, ValueError for an unknown reference or
    an anonymised enquiry.
    """
    with transaction():
        inbound = db.session.get(InboundMessage, inbound_id)
        if inbound is None or inbound.state != "unmatched":
            raise LookupError(inbound_id)
        enquiry = db.session.scalars(
            select(Enquiry).where(Enquiry.reference == reference.strip().upper())
        ).first()
        if enquiry is None or enquiry.is_anonymised:
            raise ValueError(reference)
        attach(inbound, enquiry, actor_id)
    log.info("inbound mail %s attached to %s by staff %s", inbound.id, enquiry.reference, actor_id)
    return inbound
