"""``flask --app wsgi outbox run | send-once | status``: delivery alone, and the outbox's tools.

``flask --app wsgi worker`` delivers the outbox too, beside the other background jobs; ``outbox
run`` is for a process that should do nothing but deliver.
"""

from __future__ import annotations

import logging
import threading

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from portal.background.worker import default_worker_id, stop_on_signals
from portal.extensions import db
from portal.outbox import delivery, queries

log = logging.getLogger("portal.outbox")
outbox_cli = AppGroup("outbox", help="Deliver the mail outbox.")


def work(
    stop: threading.Event,
    *,
    worker_id: str,
    interval: float,
    batch: int,
    max_batches: int | None = None,
    exit_when_idle: bool = False,
) -> int:
    """Deliver batches until ``stop`` is set (or the limits say so); returns the batch count."""
    batches = 0
    while not stop.is_set():
        try:
            report = delivery.deliver_due(worker_id=worker_id, batch=batch)
        except SQLAlchemyError as error:
            db.session.remove()
            log.error("outbox: database unavailable (%s); retrying", type(error).__name__)
            report = None
        batches += 1
        if report is not None and report.claimed:
            log.info("outbox batch: %s", report)
        if max_batches is not None and batches >= max_batches:
            break
        if report is not None and report.claimed == 0 and exit_when_idle:
            break
        if report is None or report.claimed < batch:
            stop.wait(interval)
    return batches


@outbox_cli.command("run")
@click.option(
    "--interval",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds to wait when nothing is due.",
)
@click.option(
    "--batch",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Messages claimed at a time.",
)
@click.option(
    "--max-batches", type=click.IntRange(min=1), default=None, help="Stop after this many batches."
)
@click.option("--exit-when-idle", is_flag=True, help="Stop as soon as nothing is due.")
@click.option("--worker-id", default=None, help="Name in locked_by (default host:pid:random).")
def run_command(interval, batch, max_batches, exit_when_idle, worker_id) -> None:
    """Deliver due mail until stopped: SIGTERM or Ctrl-C finish the current batch, then exit."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    log.setLevel(logging.INFO)
    worker_id = worker_id or default_worker_id()
    stop = threading.Event()
    try:
        with stop_on_signals(stop):
            click.echo(f"outbox worker {worker_id} started", err=True)
            batches = work(
                stop,
                worker_id=worker_id,
                interval=interval,
                batch=batch,
                max_batches=max_batches,
                exit_when_idle=exit_when_idle,
            )
    except KeyboardInterrupt:
        click.echo(f"outbox worker {worker_id} interrupted", err=True)
        return
    click.echo(f"outbox worker {worker_id} stopped after {batches} batches", err=True)


@outbox_cli.command("send-once")
@click.option("--batch", default=20, show_default=True, type=click.IntRange(1, 1000))
def send_once_command(batch) -> None:
    """Deliver everything due now, once, and print the counts."""
    report = delivery.deliver_all_due(worker_id=default_worker_id(), batch=batch)
    click.echo(str(report))


@outbox_cli.command("status")
def status_command() -> None:
    """Print how many messages are pending, sent and failed, and how old the oldest pending is."""
    for status, count in queries.status_counts().items():
        click.echo(f"{status}: {count}")
    lag = queries.pending_lag_seconds()
    click.echo(f"oldest pending: {'-' if lag is None else f'{lag:.0f} s'}")
    click.echo(f"due now: {queries.due_count()}")
    unwritten = queries.unwritten_count()
    if unwritten:
        click.echo(
            f"queued unwritten by an older version: {unwritten} (run `outbox render-pending`)"
        )
