"""Reading the audit trail: newest first, filtered, paged by keyset on ``(created_at, id)``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import joinedload

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.timestamps import NORWAY

PAGE_SIZE = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_ID = 2**63 - 1
FIRST, LAST = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
# What the viewer filters by: a kind is ``<group>.<act>``.
GROUPS = ("login", "account", "export", "enquiry", "privacy")


class BadCursor(ValueError):
    """The ``after`` parameter is not one this viewer wrote."""


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    group: str | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    """Midnight in Norway at the start of ``day``, in UTC; the ends of the calendar clamp."""
    try:
        return datetime.combine(day, time(), tzinfo=NORWAY).astimezone(UTC)
    except OverflowError:
        return FIRST if day.year == 1 else LAST


def _end_of(day: date) -> datetime:
    try:
        return _start_of(day + timedelta(days=1))
    except OverflowError:  # 9999-12-31
        return LAST


def _matching(filters: AuditFilters) -> Select:
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if filters.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.group in GROUPS:
        stmt = stmt.where(AuditEntry.kind.startswith(filters.group + ".", autoescape=True))
    if filters.since is not None:
        stmt = stmt.where(AuditEntry.created_at >= _start_of(filters.since))
    if filters.until is not None:
        stmt = stmt.where(AuditEntry.created_at < _end_of(filters.until))
    return stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def cursor_of(entry: AuditEntry) -> str:
    """The ``after`` value for the page that follows ``entry``."""
    micros = (entry.created_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{entry.id}"


def parse_cursor(value: str) -> tuple[datetime, int]:
    """``(created_at, id)`` from ``after``; BadCursor for anything else (never a 500)."""
    micros, _, entry_id = value.partition(".")
    if not (micros.isascii() and micros.isdigit() and entry_id.isascii() and entry_id.isdigit()):
        raise BadCursor(value)
    if len(micros) > 17 or len(entry_id) > 19 or int(entry_id) > MAX_ID:
        raise BadCursor(value)
    try:
        moment = EPOCH + timedelta(microseconds=int(micros))
    except OverflowError as error:
        raise BadCursor(value) from error
    return moment, int(entry_id)


def page(filters: AuditFilters, after: tuple[datetime, int] | None = None):
    """Up to PAGE_SIZE entries after the cursor, and whether more follow."""
    stmt = _matching(filters)
    if after is not None:
        moment, entry_id = after
        stmt = stmt.where(
            or_(
                AuditEntry.created_at < moment,
                and_(AuditEntry.created_at == moment, AuditEntry.id < entry_id),
            )
        )
    rows = list(db.session.scalars(stmt.limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def every(filters: AuditFilters) -> Iterator[AuditEntry]:
    """Every matching entry, newest first, read in batches (the CSV)."""
    stmt = _matching(filters).execution_options(yield_per=500)
    yield from db.session.scalars(stmt)
