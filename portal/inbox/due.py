"""First-response deadlines as the inbox shows them: today in Norway, overdue or not, the badge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_

from portal.intake.models import Enquiry
from portal.intake.workdays import local_date
from portal.timestamps import NORWAY, utcnow

# Enquiries still waiting for SESAM's first answer; the deadline no longer applies after it.
AWAITING_RESPONSE = ("new", "triaged")


def today() -> date:
    """Today's date in Norway (deadlines are Norwegian working days)."""
    return local_date(utcnow())


# The first and last days whose midnights in Norway are still moments in UTC: a filter date
# beyond them (0001-01-01, 9999-12-31) is taken as them, never an overflow.
FIRST_DAY, LAST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def start_of_day(day: date) -> datetime:
    """Midnight in Norway at the start of ``day``, as an aware datetime."""
    return datetime.combine(min(max(day, FIRST_DAY), LAST_DAY), time.min, tzinfo=NORWAY)


def end_of_day(day: date) -> datetime:
    """Midnight in Norway at the end of ``day`` (exclusive bound)."""
    return start_of_day(min(day, LAST_DAY - timedelta(days=1)) + timedelta(days=1))


def awaiting_response(enquiry: Enquiry) -> bool:
    return enquiry.first_responded_at is None and enquiry.status in AWAITING_RESPONSE


def overdue_condition(on: date) -> ColumnElement[bool]:
    """SQL: awaiting a first response and the due date has passed by ``on``."""
    return and_(
        Enquiry.first_responded_at.is_(None),
        Enquiry.status.in_(AWAITING_RESPONSE),
        Enquiry.first_response_due < on,
    )


@dataclass(frozen=True)
class DueBadge:
    """What the list and detail show about the first-response deadline."""

    state: str  # "overdue", "today", "due", "answered" or "none"
    due: date | None


def due_badge(enquiry: Enquiry, on: date) -> DueBadge:
    if enquiry.first_responded_at is not None:
        return DueBadge("answered", enquiry.first_response_due)
    if enquiry.first_response_due is None or enquiry.status not in AWAITING_RESPONSE:
        return DueBadge("none", enquiry.first_response_due)
    if enquiry.first_response_due < on:
        return DueBadge("overdue", enquiry.first_response_due)
    if enquiry.first_response_due == on:
        return DueBadge("today", enquiry.first_response_due)
    return DueBadge("due", enquiry.first_response_due)
