"""``flask --app wsgi worker``: one long-running process that runs every registered job.

Run one or more, anywhere: jobs registered with ``each_worker`` (outbox delivery) share their
work out by themselves; every other job runs once per period across all workers
(``jobs.run_in_turn``). SIGTERM or Ctrl-C let the job in hand finish, then the worker exits.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from portal.background.jobs import Job, registered_jobs, run_in_turn, seconds_to_next_period
from portal.extensions import db
from portal.timestamps import utcnow

log = logging.getLogger("portal.worker")
RETRY_SECONDS = 5.0  # after a database error, before the job is tried again


def default_worker_id() -> str:
    """``host:pid:random``: unique per worker process, readable in ``locked_by``/``job_run``."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` (the work in hand finishes); a second one acts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def handle(signum, frame) -> None:
        stop.set()
        signal.signal(signum, previous[signum])

    for sig in previous:
        signal.signal(sig, handle)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def work(stop: threading.Event, jobs: Sequence[Job], *, worker_id: str) -> int:
    """Run each of ``jobs`` when its time comes until ``stop`` is set; returns how many runs."""
    due = dict.fromkeys((job.name for job in jobs), 0.0)  # monotonic time of the next run
    runs = 0
    while not stop.is_set():
        for job in jobs:
            if stop.is_set() or time.monotonic() < due[job.name]:
                continue
            due[job.name] = time.monotonic() + _run(job, worker_id)
            runs += 1
        stop.wait(max(0.0, min(due.values(), default=time.monotonic() + 60) - time.monotonic()))
    return runs


def _run(job: Job, worker_id: str) -> float:
    """Run ``job`` once; returns the seconds until it should run again."""
    try:
        if not job.each_worker:
            run_in_turn(job, worker_id)
            return seconds_to_next_period(job.every, utcnow())
        more = job.run(worker_id)
        return 0.0 if more else job.every.total_seconds()
    except SQLAlchemyError as error:
        log.error(
            "worker: database unavailable for %s (%s); retrying", job.name, type(error).__name__
        )
        return min(RETRY_SECONDS, job.every.total_seconds())
    except Exception:
        log.exception("worker: job %s failed", job.name)
        return job.every.total_seconds()
    finally:
        db.session.remove()  # no transaction or connection held while the worker waits


@click.command("worker")
@click.option(
    "--worker-id", default=None, help="Name in the job records (default host:pid:random)."
)
@with_appcontext
def worker_command(worker_id: str | None) -> None:
    """Deliver mail and run the periodic jobs until stopped (SIGTERM or Ctrl-C)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("portal").setLevel(logging.INFO)
    worker_id = worker_id or default_worker_id()
    jobs = registered_jobs()
    stop = threading.Event()
    with stop_on_signals(stop):
        click.echo(f"worker {worker_id} started: {', '.join(j.name for j in jobs)}", err=True)
        runs = work(stop, jobs, worker_id=worker_id)
    click.echo(f"worker {worker_id} stopped after {runs} runs", err=True)
