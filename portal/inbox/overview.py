"""The overview's figures: aggregates the database computes over a period, never rows in Python.

Each figure is one ``GROUP BY`` over the enquiries received in the period (spam left out), read
along the counted column's own index (``portal.inbox.models.OVERVIEW_INDEXES``); the types per
month are one such count per month. The time to a first response is one more, along the
received-time index, grouped by whole days, from which the median and the 90th percentile are
read off (a histogram of a few dozen rows instead of every enquiry). The month of an enquiry is
its month in UTC on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, case, func, select

from portal.extensions import db
from portal.inbox.due import end_of_day, start_of_day
from portal.inbox.models import OVERVIEW_DIMENSIONS
from portal.intake.models import Enquiry

SOURCES_LISTED = 15


@dataclass(frozen=True)
class Period:
    """The days counted, both included."""

    start: date
    end: date


@dataclass
class Figures:
    """Everything the overview shows; counts by code (None: not given)."""

    period: Period
    total: int = 0
    months: list[str] = field(default_factory=list)
    by_month: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> type -> count
    counts: dict[str, dict[str | None, int]] = field(default_factory=dict)  # dimension -> code
    response_days: dict[int, int] = field(default_factory=dict)  # whole days -> how many
    within_target: int = 0
    answered: int = 0
    sources: list[tuple[str, int]] = field(default_factory=list)  # host -> count

    def percentile(self, share: float) -> int | None:
        """Whole days within which ``share`` of the answered enquiries got their first answer."""
        if not self.answered:
            return None
        needed, seen = share * self.answered, 0
        for days in sorted(self.response_days):
            seen += self.response_days[days]
            if seen >= needed:
                return days
        return max(self.response_days)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as moments: from midnight in Norway on its first day to that after its last."""
    return start_of_day(period.start), end_of_day(period.end)


def _received(since: datetime, until: datetime) -> list[ColumnElement[bool]]:
    return [Enquiry.created_at >= since, Enquiry.created_at < until, Enquiry.status != "spam"]


def utc_months(since: datetime, until: datetime) -> Iterator[tuple[str, datetime, datetime]]:
    """The months in UTC that ``[since, until)`` touches, each as ``YYYY-MM`` and its part."""
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    month = datetime(since.year, since.month, 1, tzinfo=UTC)
    while since < until and month < until:
        following = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
        yield f"{month:%Y-%m}", max(since, month), min(until, following)
        month = following


def _days_to_answer(dialect: str) -> ColumnElement[float]:
    if dialect == "postgresql":
        # date_part gives a float; EXTRACT a numeric, slower to compute and to sort.
        seconds = func.date_part("epoch", Enquiry.first_responded_at - Enquiry.created_at)
        return func.floor(seconds / 86400)
    return func.floor(
        func.julianday(Enquiry.first_responded_at) - func.julianday(Enquiry.created_at)
    )


def _answered_in_time(dialect: str) -> ColumnElement[int]:
    """1 when the first answer came on or before the due date (in UTC days)."""
    answered_on = (
        func.date(func.timezone("UTC", Enquiry.first_responded_at))
        if dialect == "postgresql"
        else func.date(Enquiry.first_responded_at)
    )
    due = (
        Enquiry.first_response_due
        if dialect == "postgresql"
        else func.date(Enquiry.first_response_due)
    )
    return case((answered_on <= due, 1), else_=0)


def months_between(period: Period) -> list[str]:
    """Every month of the period as ``YYYY-MM``, in order."""
    year, month, found = period.start.year, period.start.month, []
    while (year, month) <= (period.end.year, period.end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def figures(period: Period) -> Figures:
    """The overview's figures for ``period``: a statement per month and one per other figure."""
    dialect = db.session.get_bind().dialect.name
    since, until = _bounds(period)
    where = _received(since, until)
    result = Figures(period=period, months=months_between(period))
    # A month at a time: each a short range of the period index, where grouping by a computed
    # month would sort the whole period. The types over the period are their sums.
    types: dict[str | None, int] = {}
    for month, month_since, month_until in utc_months(since, until):
        stmt = (
            select(Enquiry.enquiry_type, func.count())
            .where(*_received(month_since, month_until))
            .group_by(Enquiry.enquiry_type)
        )
        for enquiry_type, count in db.session.execute(stmt):
            result.by_month.setdefault(month, {})[enquiry_type] = count
            types[enquiry_type] = types.get(enquiry_type, 0) + count
    result.counts["enquiry_type"] = types
    result.total = sum(types.values())
    for name in OVERVIEW_DIMENSIONS:
        column = getattr(Enquiry, name)
        stmt = select(column, func.count()).where(*where).group_by(column)
        result.counts[name] = dict(db.session.execute(stmt).all())
    _responses(result, where, dialect)
    _sources(result, where)
    return result


def _responses(result: Figures, where: list, dialect: str) -> None:
    days = _days_to_answer(dialect).label("days")
    answered = [*where, Enquiry.first_responded_at.is_not(None)]
    stmt = (
        select(days, func.count(), func.sum(_answered_in_time(dialect)))
        .where(*answered)
        .group_by(days)
        .order_by(days)
    )
    for whole_days, count, in_time in db.session.execute(stmt):
        result.response_days[max(int(whole_days), 0)] = (
            result.response_days.get(max(int(whole_days), 0), 0) + count
        )
        result.answered += count
        result.within_target += int(in_time or 0)


def _sources(result: Figures, where: list) -> None:
    """Enquiries by the host of the page the embedded form sat on ("" where it is not known)."""
    stmt = (
        select(Enquiry.source_host, func.count())
        .where(*where, Enquiry.source == "embed")
        .group_by(Enquiry.source_host)
    )
    hosts = [(host or "", count) for host, count in db.session.execute(stmt)]
    result.sources = sorted(hosts, key=lambda item: (-item[1], item[0]))[:SOURCES_LISTED]
