"""Norwegian working days (weekends and public holidays excluded) and Norway's calendar date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays

from portal.timestamps import NORWAY, utcnow


def local_date(moment: datetime) -> date:
    """The calendar date in Norway at ``moment`` (an aware datetime)."""
    return moment.astimezone(NORWAY).date()


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Norway(years=year, include_sundays=False))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Norwegian public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def load_calendars() -> None:
    """Load this year's and next year's holidays now: the ``holidays`` package imports every
    country's calendar on first use, which a server's first visitor would otherwise wait for.
    Next year's too, because a first response due in January is counted across both."""
    year = local_date(utcnow()).year
    for calendar in (year, year + 1):
        is_working_day(date(calendar, 1, 1))


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
