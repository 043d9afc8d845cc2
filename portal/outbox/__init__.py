"""The mail outbox: messages queued with their cause, delivered by a worker, retried, recorded."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The ``outbox`` CLI."""
    from portal.outbox.cli import outbox_cli

    app.cli.add_command(outbox_cli)
