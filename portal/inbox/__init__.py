"""The staff inbox: list, detail, triage, replies, routing rules, reply templates, CSV, demo."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale, dates
from flask import Flask
from flask_babel import format_number, get_locale
from flask_babel import lazy_gettext as _l

from portal.inbox.due import NORWAY, due_badge
from portal.inbox.queries import COUNT_CAP
from portal.timestamps import utcnow


def _locale() -> Locale | None:
    """The reader's locale for dates; English is written the British way (d MMM y, 24 h)."""
    locale = get_locale()
    return Locale.parse("en_GB") if locale is not None and locale.language == "en" else locale


def local_datetime(value: datetime | None, format: str = "short") -> str:
    """A moment in Norwegian time, in the reader's language."""
    if value is None:
        return ""
    return dates.format_datetime(value, format, tzinfo=NORWAY, locale=_locale())


def local_date(value: date | None, format: str = "medium") -> str:
    return dates.format_date(value, format, locale=_locale()) if value else ""


@cache
def _skeleton_pattern(skeleton: str, locale: Locale) -> dates.DateTimePattern:
    """The locale's pattern for a date skeleton, looked up once: Babel's ``format_skeleton``
    matches the skeleton anew on every call (0.1 ms; a list page formats dozens of dates)."""
    patterns = locale.datetime_skeletons
    key = skeleton if skeleton in patterns else dates.match_skeleton(skeleton, patterns)
    return patterns[key]


def day_month(value: date | None) -> str:
    """ "2. des." / "2 Dec": a date this year, briefly."""
    if not value:
        return ""
    locale = _locale()
    if locale is None:  # outside a request: Babel's default locale
        return dates.format_skeleton("dMMM", value)
    return dates.format_date(value, _skeleton_pattern("dMMM", locale), locale=locale)


def age(value: datetime) -> str:
    """How long ago, briefly ("3 d", "5 t")."""
    return dates.format_timedelta(utcnow() - value, threshold=1, format="short", locale=_locale())


def capped(count: int) -> str:
    """A count from ``status_counts``: "1 000+" once it passed the cap."""
    if count > COUNT_CAP:
        return format_number(COUNT_CAP) + "+"
    return format_number(count)


def init_app(app: Flask) -> None:
    """The ``inbox`` blueprint, its nav links, template filters and the seed-demo command."""
    from portal.accounts.access import register_staff_nav
    from portal.inbox import admin_views, cli, detail_views, labels  # noqa: F401 - routes
    from portal.inbox.views import bp

    app.register_blueprint(bp)
    register_staff_nav(app, "inbox.index", _l("Enquiries"), order=10)
    register_staff_nav(app, "inbox.routing", _l("Routing rules"), admin_only=True, order=60)
    register_staff_nav(
        app,
        "inbox.templates",
        _l("Reply templates"),
        admin_only=True,
        order=70,
        match="inbox.template",
    )
    app.jinja_env.filters.update(
        local_datetime=local_datetime,
        local_date=local_date,
        day_month=day_month,
        age=age,
        capped=capped,
    )
    app.jinja_env.globals.update(inbox_labels=labels, inbox_due_badge=due_badge)
    cli.init_app(app)
