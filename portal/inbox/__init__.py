"""The staff inbox: list, detail, triage, replies, routing rules, reply templates, CSV export."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """The ``inbox`` blueprint, its nav links and template filters."""
    from portal.accounts.access import register_staff_nav
    from portal.inbox import (  # noqa: F401 - routes
        admin_views,
        detail_views,
        followups,
        labels,
        overview_views,
    )
    from portal.inbox.due import due_badge
    from portal.inbox.formatting import age, capped, day_month, local_date, local_datetime
    from portal.inbox.views import bp
    from portal.intake.models import OPEN_STATUSES
    from portal.web.urls import mailto_url

    app.register_blueprint(bp)
    followups.init_app()
    register_staff_nav(app, "inbox.index", _l("Enquiries"), order=10)
    register_staff_nav(app, "inbox.overview", _l("Overview"), order=20, match="inbox.overview")
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
        mailto=mailto_url,
    )
    app.jinja_env.globals.update(
        inbox_labels=labels, inbox_due_badge=due_badge, inbox_open_statuses=OPEN_STATUSES
    )
