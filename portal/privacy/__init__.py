"""Privacy by design: the personal-data declaration, the retention purge (a daily worker job and
``flask --app wsgi privacy purge``), holds, and the data-subject requests staff answer."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask

log = logging.getLogger("portal.privacy")
PURGE_EVERY = timedelta(days=1)


def init_app(app: Flask) -> None:
    """The ``privacy`` commands and the daily purge in ``flask worker``."""
    from portal.background.jobs import register_job
    from portal.privacy.cli import privacy_cli

    app.cli.add_command(privacy_cli)
    register_job(app, "privacy-purge", every=PURGE_EVERY, run=_purge)


def _purge(worker_id: str) -> bool:
    """The daily purge: everything due, in batches."""
    from portal.privacy.retention import purge

    report = purge()
    log.info("privacy purge: %s", report)
    return False
