"""The enquiry form and what follows it: validation, anti-spam, storage, receipt, status page."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``intake`` blueprint, the outbox writers for its mail, its warm-up."""
    from portal.intake.mail import register_writers
    from portal.intake.views import bp
    from portal.intake.workdays import load_calendars
    from portal.web.warmup import register_warm_up

    app.register_blueprint(bp)
    register_writers(app)
    register_warm_up(app, load_calendars)
