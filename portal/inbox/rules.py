"""Routing rules as admins edit them in the inbox (intake applies them on arrival: routing.py)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from portal.extensions import db
from portal.inbox.services import InvalidChange, active_staff
from portal.intake.models import ENQUIRY_TYPES
from portal.intake.routing import RoutingRule
from portal.timestamps import utcnow


def routing_table() -> dict[str, int | None]:
    """Every enquiry type with its default assignee's id (None: no rule)."""
    rules = {
        rule.enquiry_type: rule.assignee_id for rule in db.session.scalars(select(RoutingRule))
    }
    return {enquiry_type: rules.get(enquiry_type) for enquiry_type in ENQUIRY_TYPES}


def save_routing(assignees: Mapping[str, int | None]) -> dict[str, int | None]:
    """Set the default assignee per enquiry type (None removes the rule); one transaction.

    Raises InvalidChange for an unknown enquiry type or a staff member who is not active.
    """
    unknown = set(assignees) - set(ENQUIRY_TYPES)
    if unknown:
        raise InvalidChange(f"unknown enquiry types {sorted(unknown)}")
    rules = {rule.enquiry_type: rule for rule in db.session.scalars(select(RoutingRule))}
    for enquiry_type, staff_id in assignees.items():
        rule = rules.get(enquiry_type)
        if staff_id is None:
            if rule is not None:
                db.session.delete(rule)
            continue
        staff = active_staff(staff_id)
        if rule is None:
            rule = RoutingRule(enquiry_type=enquiry_type)
            db.session.add(rule)
        if rule.assignee_id != staff.id:
            rule.assignee_id = staff.id
            rule.updated_at = utcnow()
    db.session.commit()
    return routing_table()
