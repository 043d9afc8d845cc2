"""Privacy by design: the personal-data declaration, the retention purge (a daily worker job and
``flask --app wsgi privacy purge``), holds, and the data-subject requests staff answer."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l

log = logging.getLogger("portal.privacy")
PURGE_EVERY = timedelta(days=1)


def init_app(app: Flask) -> None:
    """The ``privacy`` commands, the daily purge in ``flask worker``, the hold panel on an
    enquiry's page and the consent filter on the list."""
    from portal.accounts.access import register_staff_nav
    from portal.background.jobs import register_job
    from portal.inbox.filters import register_list_filter
    from portal.inbox.panels import register_case_panel
    from portal.privacy import (
        consent,
        subject_views,  # noqa: F401 - the data-subject routes
    )
    from portal.privacy.cli import privacy_cli
    from portal.privacy.views import HOLD_PANEL, bp, hold_panel_context

    app.cli.add_command(privacy_cli)
    register_job(app, "privacy-purge", every=PURGE_EVERY, run=_purge)
    app.register_blueprint(bp)
    register_case_panel("hold", HOLD_PANEL, hold_panel_context, order=200)
    register_staff_nav(
        app,
        "privacy.subject_requests",
        _l("Data-subject requests"),
        admin_only=True,
        order=84,
        match="privacy.",
    )
    register_list_filter("consent", consent.LABEL, consent.CHOICES, consent.condition, order=300)


def _purge(worker_id: str) -> bool:
    """The daily purge: everything due, in batches."""
    from portal.privacy.retention import purge

    report = purge()
    log.info("privacy purge: %s", report)
    return False
