"""Staff accounts: who may use the inbox, with which role and language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timestamps import UTCDateTime, utcnow

ROLES = ("admin", "staff")
DIGEST_HOURS = range(5, 21)  # the hours in Norway a staff digest may be sent at


class StaffUser(db.Model):
    """A SESAM staff member. ``session_version`` bumps to end every session (logout, admin)."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="staff")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(2), default="nb")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The staff member's own settings for the inbox (portal.accounts "My account"): the
    # keyboard shortcuts (WCAG 2.1.4: each person can turn them off), and the daily digest
    # (portal.digest) with the hour, Norwegian time, it is sent from.
    shortcuts: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    digest_hour: Mapped[int] = mapped_column(Integer, default=7, server_default="7")

    # Flask-Login's user protocol. ``get_id`` carries the session version, so bumping it
    # (logout, password change, an admin's "end all sessions") invalidates every cookie issued.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"
