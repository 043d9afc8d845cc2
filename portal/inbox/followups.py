"""The inbox's own added list filters: follow-up dates (due this week, or overdue: the date
passed, still open) and outcomes."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_

from portal.inbox.due import today
from portal.inbox.filters import register_list_filter
from portal.inbox.outcomes import OUTCOMES
from portal.intake.models import OPEN_STATUSES, Enquiry

CHOICES = {"week": _l("Due this week"), "overdue": _l("Overdue")}


def condition(value: str, viewer_id: int | None) -> ColumnElement[bool]:
    """``week``: a follow-up from today to Sunday; ``overdue``: before today and still open."""
    now = today()
    if value == "week":
        sunday = now + timedelta(days=6 - now.weekday())
        return Enquiry.follow_up_on.between(now, sunday)
    return and_(Enquiry.follow_up_on < now, Enquiry.status.in_(OPEN_STATUSES))


def outcome_condition(value: str, viewer_id: int | None) -> ColumnElement[bool]:
    return Enquiry.outcome == value


def init_app() -> None:
    register_list_filter("follow_up", _l("Follow-up"), CHOICES, condition, order=10)
    register_list_filter("outcome", _l("Outcome"), OUTCOMES, outcome_condition, order=20)
