"""The jobs features register for the worker, and running each once per period across workers.

A feature registers its jobs in its own ``init_app``, as it registers CLI commands:
``register_job(app, "privacy-purge", every=timedelta(days=1), run=purge)``. Such a job runs
once per period (periods are counted from the Unix epoch in UTC, so a daily one belongs to a
UTC day) across all workers: the worker that first adds the ``job_run`` row for the job and
period runs it, and the unique key turns every other worker away. ``each_worker=True`` is for
work every worker shares out by itself (outbox delivery claims rows with leases): each worker
runs it every period, and again at once while it reports that more is waiting.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import String, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import transaction
from portal.extensions import db
from portal.timestamps import UTCDateTime, utcnow

log = logging.getLogger(__name__)
JOBS = "portal.jobs"  # app.extensions key: name -> Job


@dataclass(frozen=True)
class Job:
    """``run(worker_id)`` every ``every``; it returns True when more work waits right now."""

    name: str
    every: timedelta
    run: Callable[[str], bool | None]
    each_worker: bool = False


class JobRun(db.Model):
    """One period of one job, claimed by the worker that runs it."""

    __tablename__ = "job_run"

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    worker_id: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(500))


def register_job(
    app: Flask,
    name: str,
    *,
    every: timedelta,
    run: Callable[[str], bool | None],
    each_worker: bool = False,
) -> None:
    """Let the worker run ``run`` every ``every`` (see the module's docstring).

    Raises ValueError for an empty or over-long name or a period under one second.
    """
    if not name or len(name) > 60:
        raise ValueError("a job's name must be 1 to 60 characters")
    if every < timedelta(seconds=1):
        raise ValueError("a job's period must be at least a second")
    app.extensions.setdefault(JOBS, {})[name] = Job(name, every, run, each_worker)


def registered_jobs() -> list[Job]:
    """The current app's jobs, in the order they were registered."""
    return list(current_app.extensions.get(JOBS, {}).values())


def period_start(every: timedelta, moment: datetime) -> datetime:
    """The start of the period of length ``every`` that ``moment`` falls in."""
    seconds = every.total_seconds()
    return datetime.fromtimestamp(math.floor(moment.timestamp() / seconds) * seconds, UTC)


def run_in_turn(job: Job, worker_id: str, now: datetime | None = None) -> bool:
    """Run ``job`` for this period unless another worker has: True if this call ran it.

    What the job raises is logged and kept in its ``job_run`` row (the next period tries
    again); database errors while claiming the period propagate after a rollback.
    """
    started = now or utcnow()
    period = period_start(job.every, started)
    try:
        with transaction():
            db.session.add(
                JobRun(job=job.name, period_start=period, worker_id=worker_id, started_at=started)
            )
    except IntegrityError:
        return False  # another worker has this period
    error = None
    try:
        job.run(worker_id)
    except Exception as failure:  # the worker goes on with its other jobs
        db.session.rollback()
        log.exception("job %s failed", job.name)
        error = f"{type(failure).__name__}: {failure}"[:500]
    _finish(job.name, period, error)
    return True


def _finish(name: str, period: datetime, error: str | None) -> None:
    try:
        db.session.execute(
            update(JobRun)
            .where(JobRun.job == name, JobRun.period_start == period)
            .values(finished_at=utcnow(), error=error)
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("job %s ran, but its end could not be recorded", name)


def seconds_to_next_period(every: timedelta, moment: datetime) -> float:
    """How long from ``moment`` until the next period of length ``every`` begins."""
    return (period_start(every, moment) + every - moment).total_seconds()
