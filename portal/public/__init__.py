"""The public site: landing page, privacy notice and accessibility statement (nb, nn, en)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``public`` blueprint."""
    from portal.public.views import bp

    app.register_blueprint(bp)
