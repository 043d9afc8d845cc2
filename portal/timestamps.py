"""Time in the portal: ``utcnow()``, Norway's time zone, a column type aware on every database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# SESAM works in Norway: dates people see and count with (deadlines, reference years, the times
# staff read) are Norwegian; moments are stored in UTC.
NORWAY = ZoneInfo("Europe/Oslo")


def utcnow() -> datetime:
    """The current time, aware, in UTC (tests move it with time-machine)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC; always returns an aware UTC datetime (SQLite would return a naive one)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
