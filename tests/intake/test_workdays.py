"""Norwegian working days: weekends and public holidays do not count."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.intake.workdays import add_working_days, is_working_day, local_date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 3, 2), 3, date(2026, 3, 5)),  # Monday -> Thursday
        (date(2026, 3, 5), 3, date(2026, 3, 10)),  # Thursday -> over the weekend
        (date(2026, 3, 7), 3, date(2026, 3, 11)),  # Saturday -> Wednesday
        (date(2026, 3, 31), 3, date(2026, 4, 8)),  # Easter: 2, 3 and 6 April are holidays
        (date(2026, 5, 13), 2, date(2026, 5, 18)),  # Ascension Day 14 May
        (date(2026, 12, 23), 3, date(2026, 12, 29)),  # 24th counts; 25th and 26th do not
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_working_days_skip_weekends_and_holidays(start, days, due):
    assert add_working_days(start, days) == due


def test_constitution_day_is_not_a_working_day():
    assert not is_working_day(date(2027, 5, 17))  # a Monday
    assert is_working_day(date(2027, 5, 18))


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)


def test_local_date_is_the_date_in_norway():
    assert local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert local_date(datetime(2026, 1, 15, 22, 30, tzinfo=UTC)) == date(2026, 1, 15)
