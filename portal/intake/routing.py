"""Routing rules (enquiry type -> default assignee) and applying them when an enquiry arrives.

Admins edit the rules in the inbox; intake applies them on arrival, so intake never imports
from the inbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.intake.models import Enquiry, EnquiryEvent
from portal.outbox.services import enqueue
from portal.timestamps import UTCDateTime, utcnow
from portal.web.urls import public_url


class RoutingRule(db.Model):
    """Enquiries of ``enquiry_type`` go to ``assignee`` when they arrive."""

    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_type: Mapped[str] = mapped_column(String(30), unique=True)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignee: Mapped[StaffUser] = relationship(lazy="joined")


def route_on_arrival(enquiry: Enquiry) -> StaffUser | None:
    """Assign a new enquiry by its type's rule, record it, and tell the assignee (add+flush only).

    Spam and already-assigned enquiries are left alone; a rule whose assignee is no longer active
    is ignored. Returns the assignee, or None when no rule applied.
    """
    assignee = arrival_assignee(enquiry)
    if assignee is not None:
        assign_on_arrival(enquiry, assignee)
    return assignee


def arrival_assignee(enquiry: Enquiry) -> StaffUser | None:
    """Who the rules give ``enquiry`` to (None: spam, already assigned, no rule, or the rule's
    assignee is no longer active). Only reads: intake asks before it starts writing."""
    if enquiry.status == "spam" or enquiry.assignee_id is not None:
        return None
    with db.session.no_autoflush:
        rule = db.session.scalar(
            select(RoutingRule).where(RoutingRule.enquiry_type == enquiry.enquiry_type)
        )
    if rule is None or not rule.assignee.active:
        return None
    return rule.assignee


def assign_on_arrival(enquiry: Enquiry, assignee: StaffUser) -> None:
    """Give ``enquiry`` to ``assignee`` as the rules do: the assignment, a "routed" event and the
    notice to the assignee (add and flush only)."""
    if enquiry.id is None:
        db.session.flush()  # the event and the notice need the enquiry's id
    enquiry.assignee_id = assignee.id
    db.session.add(EnquiryEvent(**routed_event(enquiry, assignee)))
    notify_assignee([enquiry], assignee, assigned_by=None)


def routed_event(enquiry: Enquiry, assignee: StaffUser) -> dict:
    """The "routed" event's row for ``enquiry`` (which has its id)."""
    return {"enquiry_id": enquiry.id, "kind": "routed", "actor_id": None, "after": assignee.name}


def notify_assignee(
    enquiries: list[Enquiry], assignee: StaffUser, assigned_by: StaffUser | None
) -> None:
    """Tell ``assignee`` by email, in their language, which enquiries are now theirs (add and
    flush only). ``assigned_by`` is None when the routing rules assigned them."""
    enqueue(**assignment_notice(enquiries, assignee, assigned_by))


def assignment_notice(
    enquiries: list[Enquiry], assignee: StaffUser, assigned_by: StaffUser | None
) -> dict:
    """``enqueue``'s arguments for the notice ``notify_assignee`` sends."""
    return {
        "kind": "assigned",
        "to": assignee.email,
        "template": "enquiry_assigned",
        "lang": assignee.lang,
        "context": {
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
        },
        "enquiry_id": enquiries[0].id if len(enquiries) == 1 else None,
    }
