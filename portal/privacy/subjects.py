"""Data-subject requests: everything held about one email address, its export, its erasure,
and the requests enquirers make from their status page (answered within a month, GDPR art. 12).

Which columns are personal comes from ``personal_data``: the export shows them, the erasure
clears them, exactly as the retention purge does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select

from portal.audit import trail
from portal.database import transaction
from portal.extensions import db
from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.services import DATA_REQUEST_EVENT
from portal.outbox.models import OutboxMessage
from portal.privacy.retention import anonymise, clear_inbound_mail, months_before
from portal.timestamps import NORWAY, utcnow

ANSWERED_EVENT = "data_request_answered"
# Internal keys and fingerprints, not information about the person: left out of the export.
NOT_EXPORTED = frozenset({"id", "public_id", "form_nonce", "body_hash", "assignee_id"})


def normalised(email: str) -> str:
    return (email or "").strip().casefold()


def enquiries_of(email: str) -> list[Enquiry]:
    """Every enquiry sent from ``email`` (case ignored), oldest first."""
    address = normalised(email)
    if not address:
        return []
    return list(
        db.session.scalars(
            select(Enquiry).where(func.lower(Enquiry.email) == address).order_by(Enquiry.id)
        )
    )


@dataclass
class Holdings:
    """What the portal holds about one address."""

    email: str
    enquiries: list[Enquiry] = field(default_factory=list)
    events: dict[int, list[EnquiryEvent]] = field(default_factory=dict)
    mails: dict[int, list[OutboxMessage]] = field(default_factory=dict)
    # Mail from the address (portal/conversation): attached to an enquiry or not.
    inbound: list = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.enquiries or self.inbound)

    @property
    def lang(self) -> str:
        """The requester's language: that of their latest enquiry."""
        return self.enquiries[-1].lang if self.enquiries else "nb"


def holdings(email: str) -> Holdings:
    """The enquiries, their timelines and the emails about them, for ``email``."""
    found = Holdings(email=normalised(email), enquiries=enquiries_of(email))
    ids = [enquiry.id for enquiry in found.enquiries]
    if ids:
        for event in db.session.scalars(
            select(EnquiryEvent).where(EnquiryEvent.enquiry_id.in_(ids)).order_by(EnquiryEvent.id)
        ):
            found.events.setdefault(event.enquiry_id, []).append(event)
        for mail in db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.enquiry_id.in_(ids))
            .order_by(OutboxMessage.id)
        ):
            found.mails.setdefault(mail.enquiry_id, []).append(mail)
    inbound = db.metadata.tables["inbound_message"]
    if found.email:
        mine = func.lower(inbound.c.sender) == found.email
        if ids:
            mine = or_(mine, inbound.c.enquiry_id.in_(ids))
        found.inbound = list(
            db.session.execute(select(inbound).where(mine).order_by(inbound.c.id)).mappings()
        )
    return found


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(NORWAY).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_json(found: Holdings) -> dict:
    """The export as JSON-able data: each enquiry's columns, its timeline, its emails."""
    columns = [c.name for c in Enquiry.__table__.columns if c.name not in NOT_EXPORTED]
    return {
        "email": found.email,
        "exported_at": _plain(utcnow()),
        "enquiries": [
            {
                **{name: _plain(getattr(enquiry, name)) for name in columns},
                "timeline": [
                    {
                        "at": _plain(event.created_at),
                        "kind": event.kind,
                        "before": event.before,
                        "after": event.after,
                        "text": event.body,
                    }
                    for event in found.events.get(enquiry.id, [])
                ],
                "emails": [
                    {
                        "at": _plain(mail.created_at),
                        "kind": mail.kind,
                        "to": mail.recipient,
                        "subject": mail.subject,
                        "text": mail.body_text,
                        "status": mail.status,
                        "sent_at": _plain(mail.sent_at),
                    }
                    for mail in found.mails.get(enquiry.id, [])
                ],
            }
            for enquiry in found.enquiries
        ],
        "mail_received": [
            {
                "at": _plain(row["received_at"]),
                "from": row["sender"],
                "name": row["sender_name"],
                "subject": row["subject"],
                "text": row["body_text"],
                "enquiry_id": row["enquiry_id"],
            }
            for row in found.inbound
        ],
    }


def record_export(found: Holdings, kind: str, actor_id: int) -> None:
    """Audit an export (the address itself is not written to the trail, its references are)."""
    references = ",".join(enquiry.reference for enquiry in found.enquiries) or None
    trail.record("privacy.export", actor_id=actor_id, target=references, detail=kind)
    db.session.commit()


@dataclass
class Erasure:
    anonymised: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


def erase(email: str, actor_id: int) -> Erasure:
    """Anonymise every enquiry from ``email`` at once, as the purge would, except those under
    a hold (journaled or legal: they are listed, for staff to answer the requester why);
    open requests about them are answered. One transaction, audited."""
    result = Erasure()
    with transaction():
        now = utcnow()
        targets = []
        for enquiry in enquiries_of(email):
            if enquiry.is_anonymised:
                continue
            if enquiry.hold_kind:
                result.held.append(enquiry.reference)
                continue
            targets.append((enquiry.id, enquiry.reference, "erasure"))
            result.anonymised.append(enquiry.reference)
        for enquiry_id, _reference, _reason in targets:
            _answer(enquiry_id, actor_id, now)
        anonymise(targets, actor_id=actor_id, now=now)
        _clear_unmatched_mail(email)
        trail.record(
            "privacy.erasure",
            actor_id=actor_id,
            target=",".join(result.anonymised)[:100] or None,
            detail=f"anonymised={len(result.anonymised)} held={len(result.held)}",
            at=now,
        )
    return result


def _clear_unmatched_mail(email: str) -> None:
    """Clear the personal columns of mail from ``email`` that belongs to no enquiry (the
    anonymised enquiries' own mail went with them)."""
    inbound = db.metadata.tables["inbound_message"]
    clear_inbound_mail(
        select(inbound.c.id).where(
            func.lower(inbound.c.sender) == normalised(email), inbound.c.enquiry_id.is_(None)
        )
    )


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Request:
    """An enquirer's open request about their data."""

    event_id: int
    enquiry_id: int
    reference: str
    email: str
    kind: str
    asked_at: datetime
    due_on: date


def open_requests(enquiry_id: int | None = None) -> list[Request]:
    """Requests not yet marked answered (about ``enquiry_id`` only, if given), the oldest (soonest
    due) first."""
    about = [] if enquiry_id is None else [EnquiryEvent.enquiry_id == enquiry_id]
    rows = db.session.execute(
        select(EnquiryEvent, Enquiry.reference, Enquiry.email)
        .join(Enquiry, Enquiry.id == EnquiryEvent.enquiry_id)
        .where(EnquiryEvent.kind == DATA_REQUEST_EVENT, *about)
        .order_by(EnquiryEvent.created_at, EnquiryEvent.id)
    ).all()
    answered_at = _answered_at(about)
    requests = []
    for event, reference, email in rows:
        if answered_at.get(event.enquiry_id) and answered_at[event.enquiry_id] >= event.created_at:
            continue
        requests.append(
            Request(
                event_id=event.id,
                enquiry_id=event.enquiry_id,
                reference=reference,
                email=email,
                kind=event.after or "access",
                asked_at=event.created_at,
                due_on=months_before(event.created_at.astimezone(NORWAY), -1).date(),
            )
        )
    return requests


def _answered_at(about: list) -> dict[int, datetime]:
    rows = db.session.execute(
        select(EnquiryEvent.enquiry_id, func.max(EnquiryEvent.created_at))
        .where(EnquiryEvent.kind == ANSWERED_EVENT, *about)
        .group_by(EnquiryEvent.enquiry_id)
    )
    return dict(rows.all())


def _answer(enquiry_id: int, actor_id: int, now: datetime) -> None:
    db.session.add(
        EnquiryEvent(enquiry_id=enquiry_id, kind=ANSWERED_EVENT, actor_id=actor_id, created_at=now)
    )


def mark_answered(enquiry_id: int, actor_id: int) -> bool:
    """Mark the open requests about ``enquiry_id`` answered (staff handed the export over, or
    told the requester why not). False when there was none."""
    with transaction():
        if not open_requests(enquiry_id):
            return False  # nothing changed: the transaction ends empty
        enquiry = db.session.get(Enquiry, enquiry_id)
        now = utcnow()
        _answer(enquiry_id, actor_id, now)
        trail.record(
            "privacy.request_answered", actor_id=actor_id, target=enquiry.reference, at=now
        )
    return True
