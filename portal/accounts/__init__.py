"""Staff accounts and sessions: login, roles, access control, the staff layout's nav and CLI."""

from __future__ import annotations

from flask import Flask

from portal.timestamps import utcnow


def init_app(app: Flask) -> None:
    """Sessions, Flask-Login, the ``accounts`` blueprint, its nav links and ``users`` CLI."""
    from portal.accounts import access, admin_views, sessions  # noqa: F401 - admin routes
    from portal.accounts.cli import users
    from portal.accounts.forms import ROLE_LABELS
    from portal.accounts.views import anon_url, bp, lang_links

    app.config.setdefault("LOGIN_RATE_LIMIT", "10 per minute")
    app.config.setdefault("PASSWORD_RESET_RATE_LIMIT", "5 per minute")
    sessions.init_app(app)
    access.init_app(app)
    app.jinja_env.globals.update(
        anon_url=anon_url,
        staff_lang_links=lang_links,
        staff_home=access.home_url,
        role_labels=ROLE_LABELS,
        now_utc=utcnow,
    )
    app.register_blueprint(bp)
    app.cli.add_command(users)
