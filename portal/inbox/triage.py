"""The handling panel's one Save: status, outcome, assignee, priority, tags and follow-up date.

``save_triage`` changes what differs, records each change on the timeline and commits once; it
tells the caller about mail that could not be made (a colleague's address the outbox refuses),
so the page can say so instead of pretending the colleague was told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.accounts.models import StaffUser
from portal.database import begin_writing
from portal.extensions import db
from portal.inbox import services
from portal.inbox.outcomes import settled_outcome
from portal.inbox.services import InvalidChange
from portal.inbox.timeline import get_enquiry
from portal.intake.models import PRIORITIES
from portal.intake.routing import notify_assignee
from portal.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Triage:
    """What the handling panel holds after a Save."""

    status: str
    assignee_id: int | None
    priority: str
    tags: list[str]
    follow_up_on: date | None
    outcome: str | None = None
    outcome_referred_to: str | None = None
    outcome_text: str | None = None


@dataclass(frozen=True)
class Refused:
    """A notice that could not be made: to whom, at which address."""

    name: str
    address: str


def save_triage(enquiry_id: int, wanted: Triage, actor_id: int) -> list[Refused]:
    """Make the enquiry's handling ``wanted`` in one transaction; returns refused notices.

    Raises EnquiryNotFound, or InvalidChange for a value the inbox does not accept (an
    inactive assignee, an unknown status or priority, a bad tag, a missing outcome).
    """
    if wanted.priority not in PRIORITIES:
        raise InvalidChange(f"unknown priority {wanted.priority!r}")
    try:
        outcome = settled_outcome(
            wanted.status, wanted.outcome, wanted.outcome_referred_to, wanted.outcome_text
        )
    except ValueError as error:
        raise InvalidChange(str(error)) from error
    begin_writing()
    enquiry = get_enquiry(enquiry_id)
    assignee = services.active_staff(wanted.assignee_id) if wanted.assignee_id else None
    services.change_status(enquiry, wanted.status, actor_id)
    services.change_outcome(enquiry, outcome, actor_id)
    refused = []
    changed = services.change_assignee(enquiry, assignee, actor_id)
    if changed and assignee and assignee.id != actor_id:
        notice = notify_assignee([enquiry], assignee, db.session.get(StaffUser, actor_id))
        refused.extend(refused_notices([notice], assignee))
    services.change_priority(enquiry, wanted.priority, actor_id)
    services.change_tags(enquiry, wanted.tags, actor_id)
    services.change_follow_up(enquiry, wanted.follow_up_on, actor_id)
    services.commit()
    return refused


def refused_notices(messages: list[OutboxMessage], person: StaffUser) -> list[Refused]:
    """The notices among ``messages`` that the outbox could not make."""
    return [Refused(person.name, m.recipient) for m in messages if m.status == "failed"]
