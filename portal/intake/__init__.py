"""The enquiry form and what follows it: validation, anti-spam, storage, receipt, status page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``intake`` blueprint, its warm-up, and ``outbox render-pending`` (the arrival mail an
    older version queued unwritten)."""
    from portal.intake.pending_mail import render_pending_command
    from portal.intake.views import bp
    from portal.intake.workdays import load_calendars
    from portal.outbox.cli import outbox_cli
    from portal.web.warmup import register_warm_up

    app.register_blueprint(bp)
    outbox_cli.add_command(render_pending_command)
    register_warm_up(app, load_calendars)
