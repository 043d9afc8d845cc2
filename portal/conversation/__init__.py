"""The conversation: enquirers' mail read from the mailbox (``mail fetch``) or an MTA pipe
(``mail ingest``), matched to enquiries, and the staff's screen for what matched nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask

log = logging.getLogger("portal.conversation")
FETCH_EVERY = timedelta(minutes=1)


def init_app(app: Flask) -> None:
    """The unmatched-mail screens, the ``mail`` commands, and fetching every minute in
    ``flask worker`` when IMAP_URL is set."""
    from flask_babel import lazy_gettext as _l

    from portal.accounts.access import register_staff_nav
    from portal.background.jobs import register_job
    from portal.conversation.cli import mail_cli
    from portal.conversation.views import bp
    from portal.inbox.filters import register_list_filter

    app.register_blueprint(bp)
    register_staff_nav(app, "conversation.unmatched", _l("Unmatched mail"), order=20)
    register_list_filter(
        "waiting",
        _l("Waiting for us"),
        {"y": _l("The enquirer had the last word")},
        _waiting,
        order=20,
    )
    app.cli.add_command(mail_cli)
    if app.config.get("IMAP_URL"):
        register_job(app, "mail-fetch", every=FETCH_EVERY, run=_fetch)


def _waiting(value: str, viewer_id: int | None):
    """The list filter: enquiries whose enquirer wrote last (``Enquiry.waiting_since``)."""
    from portal.intake.models import Enquiry

    return Enquiry.waiting_since.is_not(None)


def _fetch(worker_id: str) -> None:
    from flask import current_app

    from portal.conversation.fetching import fetch

    report = fetch(current_app.config["IMAP_URL"])
    if report.read:
        log.info("mail fetch: %s", report)
