"""The public site: landing page, privacy notice and accessibility statement (nb, nn, en)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``public`` blueprint and its ``flask public`` commands (social image, screenshots)."""
    from portal.public.cli import public_cli
    from portal.public.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(public_cli)
