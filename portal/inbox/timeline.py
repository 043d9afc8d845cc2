"""Read side of one enquiry: its timeline (events and emails), tags and possible duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.conversation.models import InboundMessage
from portal.conversation.queries import attachments_of, inbound_of
from portal.extensions import db
from portal.inbox.due import DueBadge, due_badge, today
from portal.inbox.models import EnquiryTag
from portal.intake.models import Enquiry, EnquiryEvent
from portal.outbox.models import OutboxMessage

MAIL_EVENTS = ("enquirer_mail", "enquirer_auto")
DUPLICATE_WINDOW = timedelta(days=90)
MAX_DUPLICATES = 10


class EnquiryNotFound(LookupError):
    """No enquiry has that id."""


def get_enquiry(enquiry_id: int) -> Enquiry:
    """The enquiry (with its assignee), or EnquiryNotFound."""
    enquiry = db.session.get(Enquiry, enquiry_id)
    if enquiry is None:
        raise EnquiryNotFound(enquiry_id)
    return enquiry


def tags_of(enquiry_id: int) -> list[str]:
    """The enquiry's tags, alphabetically."""
    stmt = select(EnquiryTag.tag).where(EnquiryTag.enquiry_id == enquiry_id)
    return sorted(db.session.scalars(stmt))


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: an event (with the email it sent, if any) or an email alone."""

    at: datetime
    kind: str
    event: EnquiryEvent | None = None
    message: OutboxMessage | None = None
    inbound: InboundMessage | None = None  # the enquirer's mail an event shows
    files: tuple = ()  # its attachments (their data left in the database)

    @property
    def actor_name(self) -> str | None:
        if self.event is not None and self.event.actor is not None:
            return self.event.actor.name
        return None


def timeline(enquiry_id: int) -> list[Entry]:
    """Everything that happened to the enquiry, oldest first (four statements).

    A reply event carries its outbox message (``after`` holds the message id), so the reply and
    its delivery state show as one entry; other emails (receipt, notices) are entries of their own.
    The enquirer's mail events carry the inbound message and its attachments.
    """
    events = db.session.scalars(
        select(EnquiryEvent)
        .options(joinedload(EnquiryEvent.actor))
        .where(EnquiryEvent.enquiry_id == enquiry_id)
        .order_by(EnquiryEvent.created_at, EnquiryEvent.id)
    ).all()
    messages = {
        message.id: message
        for message in db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.enquiry_id == enquiry_id)
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    }
    mail = {inbound.id: inbound for inbound in inbound_of(enquiry_id)}
    files = attachments_of(list(mail))
    entries = []
    for event in events:
        message = inbound = None
        if event.kind == "reply" and event.after and event.after.isdigit():
            message = messages.pop(int(event.after), None)
        if event.kind in MAIL_EVENTS and event.after and event.after.isdigit():
            inbound = mail.get(int(event.after))
        entries.append(
            Entry(
                event.created_at,
                event.kind,
                event=event,
                message=message,
                inbound=inbound,
                files=tuple(files.get(inbound.id, ())) if inbound else (),
            )
        )
    entries.extend(
        Entry(message.created_at, "email", message=message) for message in messages.values()
    )
    entries.sort(key=lambda entry: entry.at)
    return entries


def possible_duplicates(enquiry: Enquiry) -> list[Enquiry]:
    """Other enquiries from the same email within 90 days either side (index on email, created)."""
    stmt = (
        select(Enquiry)
        .where(
            Enquiry.email == enquiry.email,
            Enquiry.id != enquiry.id,
            Enquiry.created_at >= enquiry.created_at - DUPLICATE_WINDOW,
            Enquiry.created_at <= enquiry.created_at + DUPLICATE_WINDOW,
        )
        .order_by(Enquiry.created_at.desc())
        .limit(MAX_DUPLICATES)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class CaseFile:
    """Everything the detail page shows about one enquiry."""

    enquiry: Enquiry
    tags: list[str]
    entries: list[Entry]
    duplicates: list[Enquiry]
    badge: DueBadge


def case_file(enquiry_id: int) -> CaseFile:
    """The enquiry with its tags, timeline, possible duplicates and due badge.

    Raises EnquiryNotFound for an unknown id.
    """
    enquiry = get_enquiry(enquiry_id)
    return CaseFile(
        enquiry=enquiry,
        tags=tags_of(enquiry.id),
        entries=timeline(enquiry.id),
        duplicates=possible_duplicates(enquiry),
        badge=due_badge(enquiry, today()),
    )
