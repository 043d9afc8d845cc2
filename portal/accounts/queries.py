"""Reads of staff accounts: by id, by email, the list admins manage."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from portal.accounts.models import StaffUser
from portal.extensions import db


def normalise_email(email: str) -> str:
    """The form emails are stored and looked up in."""
    return email.strip().lower()


def user_by_id(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def user_or_404(user_id: int) -> StaffUser:
    """The account with ``user_id``. Raises 404 if there is none."""
    user = user_by_id(user_id)
    if user is None:
        abort(404)
    return user


def user_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


def staff_list() -> list[StaffUser]:
    """Every account, active first, then by name."""
    query = select(StaffUser).order_by(StaffUser.active.desc(), func.lower(StaffUser.name))
    return list(db.session.scalars(query))


def active_admin_count() -> int:
    query = select(func.count()).where(StaffUser.role == "admin", StaffUser.active.is_(True))
    return db.session.scalar(query) or 0
