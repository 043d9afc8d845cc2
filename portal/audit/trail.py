"""Writing the audit trail: ``record()`` adds a row to the caller's transaction (add only)."""

from __future__ import annotations

from datetime import datetime

from portal.audit.models import KIND_MAX_LENGTH, AuditEntry
from portal.extensions import db
from portal.timestamps import utcnow


def record(
    kind: str,
    *,
    actor_id: int | None = None,
    target: object = None,
    detail: object = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one audit row; the caller commits it together with the act it describes."""
    entry = AuditEntry(
        kind=kind[:KIND_MAX_LENGTH],
        actor_id=actor_id,
        target=None if target is None else str(target)[:100],
        detail=None if detail is None else str(detail)[:300],
        created_at=at or utcnow(),
    )
    db.session.add(entry)
    return entry


def record_many(rows: list[dict]) -> None:
    """Add many audit rows in one statement (the purge's one row per enquiry)."""
    if rows:
        db.session.execute(AuditEntry.__table__.insert(), rows)
