"""The daily staff digest: a periodic job of the worker, and ``flask --app wsgi digest send``."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

# Often enough that each person's digest leaves within minutes of their hour.
DIGEST_EVERY = timedelta(minutes=5)

digest_cli = AppGroup("digest", help="The staff's daily digest.")


@digest_cli.command("send")
def send_command() -> None:
    """Queue the digests that are due now (each person at most one per Norwegian day)."""
    from portal.digest.services import send_due

    click.echo(f"Queued {send_due()} digests.")


def _run(worker_id: str) -> None:
    from portal.digest.services import send_due

    send_due()


def init_app(app: Flask) -> None:
    from portal.background.jobs import register_job

    register_job(app, "staff-digest", every=DIGEST_EVERY, run=_run)
    app.cli.add_command(digest_cli)
