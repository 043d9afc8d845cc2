"""Builders for test data: ``make_staff`` (add + commit, inside an app context)."""

from __future__ import annotations

import itertools

from portal.accounts.models import StaffUser
from portal.accounts.passwords import hash_password
from portal.extensions import db

DEFAULT_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_staff(
    email: str | None = None,
    name: str | None = None,
    role: str = "staff",
    password: str | None = DEFAULT_PASSWORD,
    active: bool = True,
    lang: str = "nb",
) -> StaffUser:
    """A committed staff account (``password=None`` leaves it without one)."""
    number = next(_numbers)
    user = StaffUser(
        email=(email or f"staff{number}@example.org").lower(),
        name=name or f"Staff Member {number}",
        role=role,
        active=active,
        lang=lang,
        password_hash=hash_password(password) if password is not None else None,
    )
    db.session.add(user)
    db.session.commit()
    return user
