"""PostgreSQL: a new enquiry stored in one statement.

The year's reference counter (bumped), the enquiry, its events and its outbox rows go to the
server as one INSERT with data-modifying CTEs: one round trip instead of five, and atomic on its
own, so the form's POST needs no transaction around it (``database.commit_each_statement``) and
the counter row, which every submission waits for, is held only while the statement runs.
SQLite has no data-modifying CTEs: ``services`` writes there statement by statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import (
    Integer,
    Select,
    String,
    Table,
    bindparam,
    cast,
    func,
    literal,
    select,
    union_all,
)

from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.reference import PREFIX, next_in_year
from portal.outbox.models import OutboxMessage


def arrival_params(
    enquiry: dict, year: int, events: Sequence[dict], mails: Sequence[dict]
) -> tuple[Select, dict]:
    """``arrival_statement`` for these rows, and its parameters.

    ``enquiry`` is the enquiry's columns but its id and number; ``events`` and ``mails``
    are rows alike in their keys, whose ``enquiry_id`` (if they have one) the new enquiry's id
    replaces. The statement returns the new enquiry's ``(id, ref_seq, reference)``.
    """
    events, mails = _without_enquiry_id(events), _without_enquiry_id(mails)
    params = {"year": year}
    for prefix, rows in (("enquiry", [enquiry]), ("event", events), ("mail", mails)):
        for number, row in enumerate(rows):
            params.update({f"{prefix}{number}_{key}": value for key, value in row.items()})
    statement = arrival_statement(
        tuple(enquiry), _keys(events), len(events), _keys(mails), len(mails)
    )
    return statement, params


def _without_enquiry_id(rows: Sequence[dict]) -> list[dict]:
    return [{key: value for key, value in row.items() if key != "enquiry_id"} for row in rows]


def _keys(rows: Sequence[dict]) -> tuple[str, ...]:
    keys = tuple(rows[0]) if rows else ()
    if any(tuple(row) != keys for row in rows):
        raise ValueError("the rows of one table must have the same keys, in the same order")
    return keys


@lru_cache(maxsize=32)
def arrival_statement(
    enquiry_columns: tuple[str, ...],
    event_columns: tuple[str, ...],
    events: int,
    mail_columns: tuple[str, ...],
    mails: int,
) -> Select:
    """The statement for one shape of arrival (built once per shape: a handful exist).

    Parameters: ``year``, ``enquiry0_<column>``, and ``event<n>_<column>`` and
    ``mail<n>_<column>`` for the n-th event and outbox row. (No parameter has a column's own
    name: for an INSERT in a CTE, SQLAlchemy would take it for that column's value.)
    """
    sequence = next_in_year("postgresql").cte("counter").c.last
    enquiry = Enquiry.__table__
    year = bindparam("year", type_=Integer)
    new = (
        enquiry.insert()
        .from_select(
            [*enquiry_columns, "ref_year", "ref_seq", "reference"],
            select(
                *(_param(enquiry, column, f"enquiry0_{column}") for column in enquiry_columns),
                year,
                sequence,
                _reference(year, sequence),
            ),
            include_defaults=False,
        )
        .returning(enquiry.c.id, enquiry.c.ref_seq, enquiry.c.reference)
        .cte("new_enquiry")
    )
    statement = select(new.c.id, new.c.ref_seq, new.c.reference)
    for prefix, table, columns, count in (
        ("event", EnquiryEvent.__table__, event_columns, events),
        ("mail", OutboxMessage.__table__, mail_columns, mails),
    ):
        if not count:
            continue
        rows = [
            select(new.c.id, *(_param(table, key, f"{prefix}{n}_{key}") for key in columns))
            for n in range(count)
        ]
        written = table.insert().from_select(
            ["enquiry_id", *columns],
            rows[0] if count == 1 else union_all(*rows),
            include_defaults=False,
        )
        statement = statement.add_cte(written.cte(f"new_{prefix}s"))
    return statement


def _param(table: Table, column: str, name: str):
    """The parameter ``name``, typed as ``table.column`` (psycopg sends it with that type)."""
    return bindparam(name, type_=table.c[column].type)


def _reference(year, sequence):
    """``reference.format_reference`` in SQL: ``SESAM-2026-0007``, at least four digits."""
    digits = cast(sequence, String)
    padded = func.lpad(digits, func.greatest(4, func.length(digits)), "0")
    return func.concat(literal(f"{PREFIX}-"), cast(year, String), "-", padded)
