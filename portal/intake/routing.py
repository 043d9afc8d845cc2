"""Routing rules (enquiry type -> default assignee) and applying them when an enquiry arrives.

Admins edit the rules in the inbox; intake applies them on arrival, so intake never imports
from the inbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.intake.models import Enquiry
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue
from portal.timestamps import UTCDateTime, utcnow
from portal.web.urls import public_url

ASSIGNED_TEMPLATE = "enquiry_assigned"


class RoutingRule(db.Model):
    """Enquiries of ``enquiry_type`` go to ``assignee`` when they arrive."""

    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_type: Mapped[str] = mapped_column(String(30), unique=True)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignee: Mapped[StaffUser] = relationship(lazy="joined")


class RuleAssignee(NamedTuple):
    """The staff member a rule names, as an arriving enquiry needs them."""

    id: int
    name: str
    email: str
    lang: str


def arrival_assignee(enquiry: Enquiry) -> RuleAssignee | None:
    """Who the rules give ``enquiry`` to (None: spam, already assigned, no rule, or the rule's
    assignee is no longer active). Only reads: one indexed lookup."""
    if enquiry.status == "spam" or enquiry.assignee_id is not None:
        return None
    stmt = (
        select(StaffUser.id, StaffUser.name, StaffUser.email, StaffUser.lang)
        .join(RoutingRule, RoutingRule.assignee_id == StaffUser.id)
        .where(RoutingRule.enquiry_type == enquiry.enquiry_type, StaffUser.active.is_(True))
    )
    with db.session.no_autoflush:
        row = db.session.execute(stmt).first()
    return None if row is None else RuleAssignee(*row)


def notify_assignee(
    enquiries: list[Enquiry], assignee: StaffUser | RuleAssignee, assigned_by: StaffUser | None
) -> OutboxMessage:
    """Tell ``assignee`` by email, in their language, which enquiries are now theirs (add and
    flush only); the message is ``failed`` when it could not be made (a refused address).
    ``assigned_by`` is None when the routing rules assigned them."""
    return enqueue(
        kind="assigned",
        to=assignee.email,
        template=ASSIGNED_TEMPLATE,
        lang=assignee.lang,
        context=lambda: assignment_context(enquiries, assignee, assigned_by),
        enquiry_id=enquiries[0].id if len(enquiries) == 1 else None,
    )


def assignment_context(
    enquiries: list[Enquiry], assignee: StaffUser | RuleAssignee, assigned_by: StaffUser | None
) -> dict:
    """What the notice to ``assignee`` says (render in their language)."""
    return {
        "assignee_name": assignee.name,
        "assigned_by": assigned_by.name if assigned_by else None,
        "enquiries": [
            {
                "reference": enquiry.reference,
                "who": enquiry.organisation or enquiry.name,
                "url": public_url("inbox.detail", enquiry_id=enquiry.id),
            }
            for enquiry in enquiries
        ],
    }
