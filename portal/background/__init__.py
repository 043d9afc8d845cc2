"""Background work: the jobs features register, and ``flask --app wsgi worker`` that runs them."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask
from flask.cli import with_appcontext

from portal.database import refresh_statistics

STATISTICS_EVERY = timedelta(days=1)


@click.command("database-statistics")
@with_appcontext
def statistics_command() -> None:
    """Refresh the database's statistics for its query planner (the daily job, by hand)."""
    refresh_statistics()
    click.echo("The database's statistics are refreshed.")


def _refresh_statistics(worker_id: str) -> None:
    refresh_statistics()


def init_app(app: Flask) -> None:
    """The ``worker`` command, and the daily job that keeps the planner's statistics fresh."""
    from portal.background.jobs import register_job
    from portal.background.worker import worker_command

    app.cli.add_command(worker_command)
    app.cli.add_command(statistics_command)
    register_job(app, "database-statistics", every=STATISTICS_EVERY, run=_refresh_statistics)
