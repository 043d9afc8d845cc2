"""Write side of triage: status, assignee, priority, tags, follow-up, notes and bulk actions.

Each public function is one transaction and records every change as an ``EnquiryEvent`` (who,
what, before, after, when). They take plain values and raise ``EnquiryNotFound`` for an unknown
id and ``InvalidChange`` for a value the inbox does not accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select

from portal.accounts.models import StaffUser
from portal.database import begin_writing
from portal.extensions import db
from portal.inbox.models import TAG_MAX_LENGTH, EnquiryTag
from portal.inbox.outcomes import settled_outcome
from portal.inbox.queries import forget_counts
from portal.inbox.timeline import get_enquiry, tags_of
from portal.intake.models import PRIORITIES, STATUSES, Enquiry, EnquiryEvent
from portal.intake.routing import notify_assignee
from portal.outbox.models import OutboxMessage
from portal.timestamps import utcnow

NOTE_MAX_LENGTH = 5000
MAX_TAGS = 12
BULK_MAX = 200
BULK_ACTIONS = ("assign", "status", "tag", "spam")
TAG_PATTERN = re.compile(r"^[^\W_](?:[\w -]*[^\W_])?$")


class InvalidChange(ValueError):
    """The change names a value the inbox does not accept."""


def record(
    enquiry: Enquiry,
    kind: str,
    actor_id: int | None,
    before=None,
    after=None,
    body: str | None = None,
) -> EnquiryEvent:
    """Add a timeline event and mark the enquiry changed (add only)."""
    event = EnquiryEvent(
        enquiry_id=enquiry.id,
        kind=kind,
        actor_id=actor_id,
        before=before,
        after=after,
        body=body,
        created_at=utcnow(),
    )
    db.session.add(event)
    enquiry.updated_at = event.created_at
    return event


def commit() -> None:
    """Commit a change made through the inbox; the status counts then count it."""
    db.session.commit()
    forget_counts()


def change_status(enquiry: Enquiry, status: str, actor_id: int | None) -> bool:
    """Set the status if it differs (add only); True when it changed."""
    if status not in STATUSES:
        raise InvalidChange(f"unknown status {status!r}")
    if enquiry.status == status:
        return False
    record(enquiry, "status", actor_id, before=enquiry.status, after=status)
    enquiry.status = status
    return True


def change_outcome(
    enquiry: Enquiry, outcome: tuple[str | None, str | None, str | None], actor_id: int
) -> bool:
    """Record what came of the enquiry, ``(code, referred_to, text)`` (add only); True when
    it changed. The event holds the codes; to whom and the text go in its body, which is
    personal data (``portal.privacy.personal_data``) as the columns are."""
    code, referred_to, text = outcome
    if (enquiry.outcome, enquiry.outcome_referred_to, enquiry.outcome_text) == outcome:
        return False
    body = "\n\n".join(part for part in (referred_to, text) if part) or None
    record(enquiry, "outcome", actor_id, before=enquiry.outcome, after=code, body=body)
    enquiry.outcome, enquiry.outcome_referred_to, enquiry.outcome_text = outcome
    return True


def set_status(enquiry_id: int, status: str, actor_id: int) -> Enquiry:
    """Move an enquiry to ``status`` (``spam`` to mark spam, ``new`` to release it)."""
    enquiry = get_enquiry(enquiry_id)
    change_status(enquiry, status, actor_id)
    commit()
    return enquiry


def active_staff(staff_id: int) -> StaffUser:
    """The active staff member with ``staff_id``, or InvalidChange."""
    staff = db.session.get(StaffUser, staff_id)
    if staff is None or not staff.active:
        raise InvalidChange(f"no active staff member {staff_id}")
    return staff


def change_assignee(enquiry: Enquiry, assignee: StaffUser | None, actor_id: int) -> bool:
    new_id = assignee.id if assignee else None
    if enquiry.assignee_id == new_id:
        return False
    before = enquiry.assignee.name if enquiry.assignee else None
    record(enquiry, "assignee", actor_id, before=before, after=assignee.name if assignee else None)
    enquiry.assignee = assignee
    return True


def assign(enquiry_id: int, assignee_id: int | None, actor_id: int) -> Enquiry:
    """Give the enquiry to ``assignee_id`` (None: nobody); a colleague assigned gets an email."""
    assignee = active_staff(assignee_id) if assignee_id is not None else None
    enquiry = get_enquiry(enquiry_id)
    if change_assignee(enquiry, assignee, actor_id) and assignee and assignee.id != actor_id:
        notify_assignee([enquiry], assignee, assigned_by=db.session.get(StaffUser, actor_id))
    commit()
    return enquiry


def set_priority(enquiry_id: int, priority: str, actor_id: int) -> Enquiry:
    enquiry = get_enquiry(enquiry_id)
    change_priority(enquiry, priority, actor_id)
    commit()
    return enquiry


def change_priority(enquiry: Enquiry, priority: str, actor_id: int) -> bool:
    """Set the priority if it differs (add only); True when it changed."""
    if priority not in PRIORITIES:
        raise InvalidChange(f"unknown priority {priority!r}")
    if enquiry.priority == priority:
        return False
    record(enquiry, "priority", actor_id, before=enquiry.priority, after=priority)
    enquiry.priority = priority
    return True


def set_follow_up(enquiry_id: int, day: date | None, actor_id: int) -> Enquiry:
    """Set or clear the date someone should look at the enquiry again."""
    enquiry = get_enquiry(enquiry_id)
    change_follow_up(enquiry, day, actor_id)
    commit()
    return enquiry


def change_follow_up(enquiry: Enquiry, day: date | None, actor_id: int) -> bool:
    """Set or clear the follow-up date if it differs (add only); True when it changed."""
    if enquiry.follow_up_on == day:
        return False
    before = enquiry.follow_up_on.isoformat() if enquiry.follow_up_on else None
    record(enquiry, "follow_up", actor_id, before=before, after=day.isoformat() if day else None)
    enquiry.follow_up_on = day
    return True


def normalise_tag(raw: str) -> str:
    """A tag as stored: trimmed, single spaces, lower case; InvalidChange if not a valid tag."""
    tag = " ".join(raw.split()).lower()
    if not tag or len(tag) > TAG_MAX_LENGTH or not TAG_PATTERN.match(tag):
        raise InvalidChange(f"not a tag: {raw!r}")
    return tag


def _add_tag(enquiry: Enquiry, tag: str, actor_id: int) -> None:
    db.session.add(EnquiryTag(enquiry_id=enquiry.id, tag=tag))
    record(enquiry, "tag_added", actor_id, after=tag)


def set_tags(enquiry_id: int, tags: Iterable[str], actor_id: int) -> list[str]:
    """Make the enquiry's tags exactly ``tags``; each addition and removal is an event."""
    enquiry = get_enquiry(enquiry_id)
    wanted = change_tags(enquiry, tags, actor_id)
    commit()
    return wanted


def change_tags(enquiry: Enquiry, tags: Iterable[str], actor_id: int) -> list[str]:
    """Make the enquiry's tags exactly ``tags`` (add and delete only); returns them sorted.

    Raises InvalidChange for a tag that is not one, or too many.
    """
    wanted = list(dict.fromkeys(normalise_tag(tag) for tag in tags))
    if len(wanted) > MAX_TAGS:
        raise InvalidChange(f"at most {MAX_TAGS} tags")
    current = tags_of(enquiry.id)
    for tag in current:
        if tag not in wanted:
            db.session.execute(
                delete(EnquiryTag).where(EnquiryTag.enquiry_id == enquiry.id, EnquiryTag.tag == tag)
            )
            record(enquiry, "tag_removed", actor_id, before=tag)
    for tag in wanted:
        if tag not in current:
            _add_tag(enquiry, tag, actor_id)
    return sorted(wanted)


def add_note(enquiry_id: int, body: str, actor_id: int) -> EnquiryEvent:
    """An internal note on the timeline (never shown to the enquirer)."""
    text = body.strip()
    if not text or len(text) > NOTE_MAX_LENGTH:
        raise InvalidChange("a note needs 1 to 5000 characters")
    enquiry = get_enquiry(enquiry_id)
    event = record(enquiry, "note", actor_id, body=text)
    commit()
    return event


@dataclass(frozen=True)
class BulkResult:
    """How many enquiries a bulk action changed, and the notices that could not be made."""

    changed: int
    refused: list[OutboxMessage] = field(default_factory=list)


def bulk_update(
    ids: Iterable[int], action: str, value: str | None, actor_id: int, outcome: str | None = None
) -> BulkResult:
    """Apply one action to many enquiries in one transaction.

    ``assign``: value is a staff id ("" = nobody); ``status``: a status (an ending one with
    ``outcome``, or its default outcome); ``tag``: a tag to add; ``spam``: no value.
    """
    wanted = sorted(set(ids))
    if action not in BULK_ACTIONS or not wanted or len(wanted) > BULK_MAX:
        raise InvalidChange(f"bulk {action!r} on {len(wanted)} enquiries")
    begin_writing()
    enquiries = db.session.scalars(select(Enquiry).where(Enquiry.id.in_(wanted))).all()
    change = _bulk_change(action, value, actor_id, wanted, outcome)
    changed = [enquiry for enquiry in enquiries if change(enquiry)]
    refused = []
    if action == "assign" and value and changed and int(value) != actor_id:
        assignee = active_staff(int(value))
        notice = notify_assignee(changed, assignee, assigned_by=db.session.get(StaffUser, actor_id))
        refused = [notice] if notice.status == "failed" else []
    commit()
    return BulkResult(len(changed), refused)


def _bulk_change(
    action: str, value: str | None, actor_id: int, ids: list[int], outcome: str | None
):
    """The per-enquiry change for a bulk action, with its value checked once."""
    if action == "assign":
        assignee = active_staff(int(value)) if value and value.isdigit() else None
        if value and assignee is None:
            raise InvalidChange(f"not a staff id: {value!r}")
        return lambda enquiry: change_assignee(enquiry, assignee, actor_id)
    if action == "status":
        if value not in STATUSES:
            raise InvalidChange(f"unknown status {value!r}")
        try:
            settled = settled_outcome(value, outcome, None, None)
        except ValueError as error:
            raise InvalidChange(str(error)) from error
        # The outcome goes with the change of status: an enquiry already there keeps its own.
        return lambda enquiry: (
            change_status(enquiry, value, actor_id)
            and (change_outcome(enquiry, settled, actor_id) or True)
        )
    if action == "spam":
        return lambda enquiry: change_status(enquiry, "spam", actor_id)
    tag = normalise_tag(value or "")
    tagged = set(
        db.session.scalars(
            select(EnquiryTag.enquiry_id).where(
                EnquiryTag.tag == tag, EnquiryTag.enquiry_id.in_(ids)
            )
        )
    )

    def add(enquiry: Enquiry) -> bool:
        if enquiry.id in tagged:
            return False
        _add_tag(enquiry, tag, actor_id)
        return True

    return add
