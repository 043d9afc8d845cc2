"""Background work: the jobs features register, and ``flask --app wsgi worker`` that runs them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``worker`` command."""
    from portal.background.worker import worker_command

    app.cli.add_command(worker_command)
