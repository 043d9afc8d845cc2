"""Periodic jobs: registered by features, each run once per period across all workers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, text

from portal.background import worker
from portal.background.jobs import (
    JobRun,
    period_start,
    register_job,
    registered_jobs,
    run_in_turn,
    seconds_to_next_period,
)
from portal.extensions import db
from tests.factories import make_enquiry

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _counting_job(app, name="digest", every=DAY, **options):
    runs: list[str] = []
    register_job(app, name, every=every, run=runs.append, **options)
    [job] = [job for job in registered_jobs() if job.name == name]
    return job, runs


def test_the_outbox_registers_its_delivery_for_every_worker(app):
    delivery = {job.name: job for job in registered_jobs()}["outbox-delivery"]
    assert delivery.each_worker and delivery.every == timedelta(seconds=2)


@pytest.mark.parametrize(
    ("name", "every"), [("", DAY), ("x" * 61, DAY), ("ok", timedelta(milliseconds=500))]
)
def test_register_job_refuses_a_bad_name_or_period(app, name, every):
    with pytest.raises(ValueError):
        register_job(app, name, every=every, run=lambda worker_id: None)


def test_periods_are_counted_from_the_epoch_in_utc():
    assert period_start(DAY, NOON) == datetime(2026, 3, 2, tzinfo=UTC)
    assert period_start(timedelta(hours=1), NOON + timedelta(minutes=59)) == NOON
    assert seconds_to_next_period(DAY, NOON) == 12 * 3600


def test_two_calls_in_one_period_run_the_job_once(app):
    job, runs = _counting_job(app)
    with time_machine.travel(NOON, tick=False):
        assert run_in_turn(job, "worker-a") is True
        assert run_in_turn(job, "worker-b") is False
    with time_machine.travel(NOON + timedelta(hours=11), tick=False):
        assert run_in_turn(job, "worker-b") is False  # still the same day
    with time_machine.travel(NOON + DAY, tick=False):
        assert run_in_turn(job, "worker-b") is True  # the next day's turn
    assert runs == ["worker-a", "worker-b"]
    rows = db.session.scalars(select(JobRun).order_by(JobRun.period_start)).all()
    assert [(r.job, r.worker_id, r.error) for r in rows] == [
        ("digest", "worker-a", None),
        ("digest", "worker-b", None),
    ]
    assert all(r.finished_at is not None for r in rows)


def test_two_workers_racing_for_a_period_run_the_job_once(app):
    job, runs = _counting_job(app)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def race(worker_id: str) -> None:
        with app.app_context():
            barrier.wait(timeout=10)
            results.append(run_in_turn(job, worker_id))
            db.session.remove()

    threads = [threading.Thread(target=race, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert len(runs) == 1


def test_a_failing_job_is_recorded_and_not_repeated_in_its_period(app):
    calls: list[str] = []

    def broken(worker_id: str) -> None:
        calls.append(worker_id)
        raise RuntimeError("the mail server said no")

    register_job(app, "fetch", every=timedelta(minutes=5), run=broken)
    [job] = [job for job in registered_jobs() if job.name == "fetch"]
    with time_machine.travel(NOON, tick=False):
        assert run_in_turn(job, "w") is True
        assert run_in_turn(job, "w") is False
    row = db.session.scalars(select(JobRun)).one()
    assert row.error == "RuntimeError: the mail server said no"
    assert calls == ["w"]


def test_the_worker_runs_each_job_in_its_turn_until_stopped(app):
    stop = threading.Event()
    everywhere: list[str] = []

    def deliver(worker_id: str) -> bool:
        everywhere.append(worker_id)
        if len(everywhere) == 3:
            stop.set()
        return len(everywhere) < 3  # "more is waiting": run again at once

    register_job(app, "outbox-delivery", every=timedelta(hours=1), run=deliver, each_worker=True)
    _, daily = _counting_job(app)
    runs = worker.work(stop, registered_jobs(), worker_id="w")
    assert everywhere == ["w"] * 3  # no waiting between full batches
    assert daily == ["w"]
    periodic = [job for job in registered_jobs() if not job.each_worker]  # features' jobs too
    assert runs == 3 + len(periodic)


def test_the_worker_outlives_a_database_outage(app, monkeypatch):
    stop = threading.Event()
    calls: list[int] = []

    def flaky(worker_id: str) -> bool:
        from sqlalchemy.exc import OperationalError

        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        stop.set()
        return False

    monkeypatch.setattr(worker, "RETRY_SECONDS", 0.01)
    register_job(app, "outbox-delivery", every=timedelta(hours=1), run=flaky, each_worker=True)
    worker.work(stop, registered_jobs(), worker_id="w")
    assert len(calls) == 2  # tried again after RETRY_SECONDS, not after its hour


def _counted_enquiries() -> int | None:
    """How many enquiries the planner's statistics say there are (None: never counted)."""
    if db.engine.dialect.name == "sqlite":
        found = db.session.scalar(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_enquiry_region_period'")
        )
        return int(found.split()[0]) if found else None
    found = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'enquiry'"))
    return int(found) if found and found > 0 else None


def test_the_planners_statistics_are_refreshed_daily_and_by_hand(app):
    """ANALYZE: without it SQLite cannot choose the overview's per-column indexes."""
    job = {job.name: job for job in registered_jobs()}["database-statistics"]
    assert job.every == timedelta(days=1) and not job.each_worker
    for region in ("oslo", "agder", None):
        make_enquiry(region=region)
    assert _counted_enquiries() != 3
    job.run("worker-test")
    assert _counted_enquiries() == 3
    make_enquiry()
    result = app.test_cli_runner().invoke(args=["database-statistics"])
    assert result.exit_code == 0 and "refreshed" in result.output
    assert _counted_enquiries() == 4
