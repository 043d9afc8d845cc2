"""The digests sent: one row per staff member and Norwegian day, whichever worker sent it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timestamps import UTCDateTime


class DigestSent(db.Model):
    """A digest queued for ``staff_id`` on ``day``; the unique key turns away a second one."""

    __tablename__ = "digest_sent"
    __table_args__ = (UniqueConstraint("staff_id", "day", name="uq_digest_sent_staff_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
