"""Outbox reads: counts per status, what is due, the age of the oldest waiting message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from portal.extensions import db
from portal.outbox.models import OUTBOX_STATUSES, OutboxMessage
from portal.timestamps import utcnow


def due_filter(now: datetime) -> tuple:
    """Pending, written, its time has come, and no live lease: what a worker may claim.

    (Every message is written when it is queued; one an older version queued unwritten waits
    for ``outbox render-pending``.)
    """
    return (
        OutboxMessage.status == "pending",
        OutboxMessage.body_text.is_not(None),
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
    )


def due_count(now: datetime | None = None) -> int:
    """How many messages a worker could claim now."""
    statement = select(func.count(OutboxMessage.id)).where(*due_filter(now or utcnow()))
    return db.session.scalar(statement) or 0


def unwritten_count() -> int:
    """Pending messages an older version queued without their text (``render-pending``)."""
    statement = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.status == "pending", OutboxMessage.body_text.is_(None)
    )
    return db.session.scalar(statement) or 0


def status_counts() -> dict[str, int]:
    """Messages per status, every status present (zeros included)."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    counts.update(dict(rows))
    return counts


def pending_lag_seconds() -> float | None:
    """Age in seconds of the oldest pending message (for /healthz); None when none waits."""
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status == "pending")
    )
    if oldest is None:
        return None
    return max((utcnow() - oldest).total_seconds(), 0.0)


def messages_for_enquiry(enquiry_id: int) -> list[OutboxMessage]:
    """The emails about one enquiry, oldest first, with their delivery state (for the timeline)."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.enquiry_id == enquiry_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(db.session.scalars(statement))
