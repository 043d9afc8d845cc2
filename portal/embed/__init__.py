"""The embeddable form: intake's form in a frame on allow-listed sites, and its loader script."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``embed`` blueprint."""
    from portal.embed.views import bp

    app.register_blueprint(bp)
