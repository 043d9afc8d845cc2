"""``warm_up``: what a worker's first requests would wait for is loaded while it starts."""

from __future__ import annotations

from datetime import date

from flask import current_app

from portal.intake import workdays
from portal.timestamps import utcnow
from portal.web.warmup import STEPS, register_warm_up, warm_up


def test_warm_up_loads_calendars_templates_and_catalogues_without_the_database(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:9/none")
    workdays._public_holidays.cache_clear()
    app.jinja_env.cache.clear()

    warm_up(app)  # with no database to reach: a server must start while it is down

    year = workdays.local_date(utcnow()).year
    calendars = workdays._public_holidays.cache_info()
    assert calendars.currsize == 2 and calendars.misses == 2
    workdays.is_working_day(workdays.local_date(utcnow()))
    workdays.is_working_day(date(year + 1, 1, 2))
    assert workdays._public_holidays.cache_info().misses == 2  # both years were ready
    kept = {name for _loader, name in app.jinja_env.cache}
    for name in ("intake/form.html", "inbox/index.html", "layouts/staff.html"):
        assert name in kept
    assert "email/receipt.nb.txt" in kept


def test_warm_up_runs_the_steps_features_register_in_order_inside_the_app(make_app):
    app = make_app()
    ran = []
    register_warm_up(app, lambda: ran.append(("first", current_app.name)))
    register_warm_up(app, lambda: ran.append(("second", current_app.name)))

    warm_up(app)

    assert ran == [("first", app.name), ("second", app.name)]


def test_the_calendars_are_warmed_by_intake_which_owns_working_days(make_app):
    steps = make_app().extensions[STEPS]
    assert workdays.load_calendars in steps
