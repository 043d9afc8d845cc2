"""Work each server process would otherwise do on its first requests, done while it starts.

A fresh gunicorn worker met its first enquiry with about 200 ms of one-time work: importing the
public-holiday tables for the first response date (the ``holidays`` package loads every
country), configuring SQLAlchemy's mappers, compiling templates, reading the catalogues. The
visitor waited for it, and so did every request queued behind them. ``warm_up`` does it before
the process takes requests; ``wsgi.py`` calls it before freezing what start-up made (gc).
It reads no database and sends nothing: a server starts even while the database is down.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy.orm import configure_mappers

from portal.intake.workdays import is_working_day, local_date
from portal.timestamps import utcnow
from portal.web.i18n import LANGS


def warm_up(app: Flask) -> None:
    """Mappers, holiday calendars, every template and each language's catalogue, loaded now."""
    configure_mappers()
    year = local_date(utcnow()).year
    for calendar in (year, year + 1):  # a first response due in January is counted in both
        is_working_day(date(calendar, 1, 1))
    for name in app.jinja_env.list_templates(filter_func=_is_template):
        app.jinja_env.get_template(name)
    with app.test_request_context("/"):
        for lang in LANGS:
            with force_locale(lang):
                get_translations()


def _is_template(name: str) -> bool:
    return name.endswith((".html", ".txt"))
