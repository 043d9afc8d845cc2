"""``audit_entry``: who did what to which thing, and when; never the personal data itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.timestamps import UTCDateTime, utcnow

KIND_MAX_LENGTH = 40


class AuditEntry(db.Model):
    """One audited act. ``target`` names the thing acted on (an enquiry's reference, an
    account's id), ``detail`` a short code-like summary; ``actor_id`` None is the system."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_created_id", "created_at", "id"),
        Index("ix_audit_entry_kind_created", "kind", "created_at"),
        Index("ix_audit_entry_actor_created", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(KIND_MAX_LENGTH))
    target: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(String(300))

    actor: Mapped[StaffUser | None] = relationship()
