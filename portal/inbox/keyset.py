"""Sort orders of the inbox list as index-ordered partitions, and the opaque keyset cursor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Date
from sqlalchemy.orm import InstrumentedAttribute

from portal.intake.models import Enquiry

SORTS = ("received", "updated", "priority", "due", "follow_up")
ORDERS = ("desc", "asc")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def _always(enquiry: Enquiry) -> bool:
    return True


@dataclass(frozen=True)
class Partition:
    """Rows matching ``where``, read along the index ``(column, id)``, or along the primary key
    when ``column`` is None (arrival order); ``holds`` tells whether a row belongs here."""

    column: InstrumentedAttribute | None
    descending: bool
    where: tuple[ColumnElement, ...] = ()
    holds: Callable[[Enquiry], bool] = _always


def _priority(code: str, descending: bool) -> Partition:
    return Partition(
        None, descending, (Enquiry.priority == code,), lambda enquiry: enquiry.priority == code
    )


def _dated(column: InstrumentedAttribute, descending: bool) -> list[Partition]:
    """Enquiries with a date in ``column`` in date order, then those without, by id."""
    key = column.key
    return [
        Partition(
            column,
            descending,
            (column.is_not(None),),
            lambda enquiry: getattr(enquiry, key) is not None,
        ),
        Partition(
            None, descending, (column.is_(None),), lambda enquiry: getattr(enquiry, key) is None
        ),
    ]


def partitions(sort: str, order: str, date_range: bool = False) -> list[Partition]:
    """The partitions of sort order ``sort`` (an unknown sort falls back to "received").

    "received" is arrival order, which is id order: ids are given as enquiries are stored, and
    the primary key is the one index every filter and the full-text index can follow. Within a
    ``date_range`` it reads the received-time index instead, which starts inside the range.
    """
    descending = order != "asc"
    if sort not in SORTS[1:] and date_range:
        return [Partition(Enquiry.created_at, descending)]
    if sort == "updated":
        return [Partition(Enquiry.updated_at, descending)]
    if sort == "priority":
        codes = ("high", "normal", "low") if descending else ("low", "normal", "high")
        return [_priority(code, descending) for code in codes]
    if sort == "due":
        return _dated(Enquiry.first_response_due, descending)
    if sort == "follow_up":
        return _dated(Enquiry.follow_up_on, descending)
    return [Partition(None, descending)]


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: partition index, that row's sort value (None: by id alone), its id."""

    part: int
    value: datetime | date | None
    id: int

    def encode(self) -> str:
        if self.value is None:
            number = 0
        elif isinstance(self.value, datetime):
            number = (self.value - EPOCH) // MICROSECOND
        else:
            number = self.value.toordinal()
        return f"{self.part}-{number}-{self.id}"

    @classmethod
    def parse(cls, raw: str | None, parts: list[Partition]) -> Cursor | None:
        """The cursor in ``raw``, or None when it is missing, malformed or out of range."""
        if not raw:
            return None
        pieces = raw.split("-")
        if len(pieces) != 3 or not all(piece.isdigit() and len(piece) < 20 for piece in pieces):
            return None
        part, number, row_id = (int(piece) for piece in pieces)
        if part >= len(parts):
            return None
        column = parts[part].column
        try:
            if column is None:
                value: datetime | date | None = None
            elif isinstance(column.type, Date):
                value = date.fromordinal(number)
            else:
                value = EPOCH + number * MICROSECOND
        except (OverflowError, ValueError):
            return None
        return cls(part, value, row_id)
