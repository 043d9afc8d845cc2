"""Reads of staff accounts: by id, by email, the list admins manage."""

from __future__ import annotations

from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm.util import identity_key

from portal.accounts.models import StaffUser
from portal.extensions import db


class Colleague(NamedTuple):
    """An active staff member as a list of choices shows them."""

    id: int
    name: str


def staff_directory() -> list[Colleague]:
    """Active staff by name, for pages that offer them as choices (the enquiry list's filter
    and bulk assignment): their ids and names only."""
    stmt = select(StaffUser.id, StaffUser.name).where(StaffUser.active.is_(True))
    return [Colleague(*row) for row in db.session.execute(stmt.order_by(StaffUser.name))]


def normalise_email(email: str) -> str:
    """The form emails are stored and looked up in."""
    return email.strip().lower()


def user_by_id(user_id: int) -> StaffUser | None:
    """The account with ``user_id``, or None.

    Every staff request loads its user, and ``Session.get`` builds its SELECT each time: when the
    account is not in the session yet, the same SELECT, built once, is run instead.
    """
    if identity_key(StaffUser, user_id) in db.session.identity_map:
        return db.session.get(StaffUser, user_id)
    return db.session.execute(_USER_BY_ID, {"user_id": user_id}).scalar_one_or_none()


_USER_BY_ID = select(StaffUser).where(StaffUser.id == bindparam("user_id"))


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
