"""Reference numbers ``SESAM-<year>-<sequence>``: gapless per year, unique under concurrency.

One row per year in ``reference_counter`` is bumped with a single atomic upsert inside the
enquiry's own transaction (``INSERT … ON CONFLICT (year) DO UPDATE SET last = last + 1
RETURNING last``). PostgreSQL holds the row lock until the enquiry commits, so concurrent
submissions queue for it; on SQLite the enquiry's transaction holds the write lock from its
start (``database.begin_writing``). If the enquiry rolls back, so does its number.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Insert, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.intake.models import ReferenceCounter
from portal.intake.workdays import local_date

PREFIX = "SESAM"
_DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def format_reference(year: int, sequence: int) -> str:
    """``SESAM-2026-0007``: at least four digits, more when a year needs them."""
    return f"{PREFIX}-{year}-{sequence:04d}"


def allocate_reference(moment: datetime) -> tuple[int, int, str]:
    """The next ``(year, sequence, reference)`` for the Norwegian year of ``moment``.

    Runs in the caller's transaction (no commit). Raises KeyError on a database other than
    PostgreSQL or SQLite.
    """
    year = local_date(moment).year
    connection = db.session.connection()  # Core: the ORM adds nothing to one counter row
    statement = next_in_year(connection.dialect.name)
    sequence = connection.execute(statement, {"year": year}).scalar_one()
    return year, sequence, format_reference(year, sequence)


@cache
def next_in_year(dialect: str) -> Insert:
    """The upsert for ``dialect``, built once (every enquiry runs it)."""
    table = ReferenceCounter.__table__
    return (
        _DIALECT_INSERT[dialect](table)
        .values(year=bindparam("year"), last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
