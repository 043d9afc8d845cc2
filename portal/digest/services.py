"""The staff digest: what each person should know this working day, queued at most once a day.

``send_due`` looks for active staff with the digest on whose hour (Norwegian time) has come on a
Norwegian working day and who have no digest yet today. Each digest is one transaction: the
``digest_sent`` row for (person, day) and the rendered mail in the outbox commit together, and
the row's unique key turns away a second worker that got there at the same moment, so nobody
gets two on one day, however many workers run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import StaffUser
from portal.database import transaction
from portal.digest.models import DigestSent
from portal.extensions import db
from portal.inbox.due import overdue_condition
from portal.intake.models import OPEN_STATUSES, Enquiry
from portal.intake.workdays import is_working_day, local_date
from portal.outbox.queueing import enqueue
from portal.timestamps import NORWAY, utcnow
from portal.web.urls import public_url

TEMPLATE = "staff_digest"
LISTED = 20  # per section; the count says how many more


@dataclass(frozen=True)
class Section:
    """One part of a digest: the enquiries listed (at most LISTED) and how many in all."""

    rows: list[dict]
    total: int


def _listed(condition: ColumnElement[bool]) -> Section:
    stmt = (
        select(Enquiry.id, Enquiry.reference, Enquiry.name, Enquiry.organisation)
        .where(condition)
        .order_by(Enquiry.id)
        .limit(LISTED)
    )
    rows = [
        {
            "reference": row.reference,
            "who": row.organisation or row.name,
            "url": public_url("inbox.detail", enquiry_id=row.id),
        }
        for row in db.session.execute(stmt)
    ]
    total = db.session.scalar(select(func.count()).select_from(Enquiry).where(condition))
    return Section(rows, total or 0)


def sections(staff_id: int, day: date) -> dict[str, Section]:
    """The digest of ``staff_id`` on ``day``: new enquiries that are theirs or nobody's, first
    responses overdue (theirs or nobody's), and their open follow-ups due by ``day``."""
    theirs_or_nobodys = or_(Enquiry.assignee_id == staff_id, Enquiry.assignee_id.is_(None))
    return {
        "new": _listed(and_(Enquiry.status == "new", theirs_or_nobodys)),
        "overdue": _listed(and_(overdue_condition(day), theirs_or_nobodys)),
        "follow_ups": _listed(
            and_(
                Enquiry.assignee_id == staff_id,
                Enquiry.status.in_(OPEN_STATUSES),
                Enquiry.follow_up_on <= day,
            )
        ),
    }


def due_staff_ids(now: datetime) -> list[int]:
    """Who should get a digest at ``now``: nobody on a weekend or public holiday."""
    day = local_date(now)
    if not is_working_day(day):
        return []
    hour = now.astimezone(NORWAY).hour
    sent = exists().where(DigestSent.staff_id == StaffUser.id, DigestSent.day == day)
    stmt = (
        select(StaffUser.id)
        .where(
            StaffUser.active.is_(True),
            StaffUser.digest.is_(True),
            StaffUser.digest_hour <= hour,
            ~sent,
        )
        .order_by(StaffUser.id)
    )
    return list(db.session.scalars(stmt))


def send_digest(staff_id: int, now: datetime) -> bool:
    """Queue today's digest for ``staff_id`` unless someone already did: True if this call did.

    With nothing to tell, the day is marked but no mail is queued. Database errors other than
    the lost race propagate after a rollback.
    """
    day = local_date(now)
    try:
        with transaction():
            db.session.add(DigestSent(staff_id=staff_id, day=day, sent_at=now))
            db.session.flush()
            staff = db.session.get(StaffUser, staff_id)
            parts = sections(staff_id, day)
            if any(part.total for part in parts.values()):
                enqueue(
                    kind="digest",
                    to=staff.email,
                    template=TEMPLATE,
                    lang=staff.lang,
                    context=lambda: {
                        "name": staff.first_name or staff.name,
                        "day": day,
                        "inbox_url": public_url("inbox.index"),
                        **parts,
                    },
                )
    except IntegrityError:
        return False
    return True


def send_due(now: datetime | None = None) -> int:
    """Queue every digest that is due at ``now`` (default: now); returns how many were queued."""
    moment = now or utcnow()
    return sum(send_digest(staff_id, moment) for staff_id in due_staff_ids(moment))
