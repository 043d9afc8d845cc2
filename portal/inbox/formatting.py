"""Dates, ages and counts as the inbox shows them: Norwegian time, the reader's language.

The list formats a few values per row, so the locale and its date patterns are looked up once
per language, not once per value: Babel would parse the locale and match the pattern skeleton
again on every call.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale, dates
from flask_babel import format_number, get_locale

from portal.inbox.queries import COUNT_CAP
from portal.timestamps import NORWAY, utcnow


@cache
def _locale_for(tag: str) -> Locale:
    # English is written the British way (d MMM y, 24-hour clock).
    return Locale.parse("en_GB" if tag == "en" else tag)


def _locale() -> Locale:
    return _locale_for(str(get_locale() or "nb"))


@cache
def _skeleton(tag: str, skeleton: str) -> dates.DateTimePattern:
    locale = _locale_for(tag)
    best = skeleton if skeleton in locale.datetime_skeletons else None
    best = best or dates.match_skeleton(skeleton, locale.datetime_skeletons)
    return locale.datetime_skeletons[best]


def local_datetime(value: datetime | None, format: str = "short") -> str:
    """A moment in Norwegian time, in the reader's language."""
    if value is None:
        return ""
    return dates.format_datetime(value, format, tzinfo=NORWAY, locale=_locale())


def local_date(value: date | None, format: str = "medium") -> str:
    return dates.format_date(value, format, locale=_locale()) if value else ""


def day_month(value: date | None) -> str:
    """A date within the year, briefly: "2. des." / "2 Dec"."""
    if value is None:
        return ""
    locale = _locale()
    return dates.format_date(value, _skeleton(str(locale), "MMMd"), locale=locale)


def age(value: datetime, now: datetime | None = None, lang: str | None = None) -> str:
    """How long ago, briefly ("3 d", "5 t"), as Babel's ``format_timedelta`` (threshold 1) says
    it. Its text depends only on the largest whole unit and the rounded count of it, so each
    such pair is formatted once per language. ``now`` and ``lang`` (the reader's language) may
    be given by a caller that formats many ages at once."""
    seconds = abs(((now or utcnow()) - value).total_seconds())
    tag = lang or str(_locale())
    for _unit, unit_seconds in dates.TIMEDELTA_UNITS:
        if seconds >= unit_seconds:
            return _age_text(tag, unit_seconds, round(seconds / unit_seconds))
    return _age_text(tag, 1, 1 if seconds > 0 else 0)  # under a second: "1 s"


@cache
def _age_text(tag: str, unit_seconds: int, count: int) -> str:
    # With the threshold at ``count``, every larger unit holds fewer than ``count`` of itself,
    # so Babel keeps this unit even where rounding reached the next one (59.99 min is "60 min").
    return dates.format_timedelta(
        count * unit_seconds, threshold=max(count, 1), format="short", locale=_locale_for(tag)
    )


def capped(count: int) -> str:
    """A count from ``status_counts``: "1 000+" once it passed the cap."""
    if count > COUNT_CAP:
        return format_number(COUNT_CAP) + "+"
    return format_number(count)
