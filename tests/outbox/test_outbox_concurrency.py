"""Several workers at once: each message is delivered exactly once (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.outbox import delivery

MESSAGES = 40


def _queue_many(queue_notice, count: int = MESSAGES) -> set[str]:
    return {queue_notice(f"person{n}@example.org").message_id for n in range(count)}


def _drain(app, worker_id: str, start: threading.Barrier, reports: list, errors: list) -> None:
    try:
        with app.app_context():
            start.wait(timeout=30)
            while True:
                report = delivery.deliver_due(worker_id=worker_id, batch=3)
                reports.append((worker_id, report))
                if report.claimed == 0:
                    return
    except Exception as error:  # surfaced by the test below
        errors.append(error)


def test_two_worker_threads_deliver_each_message_exactly_once(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    _, handler = smtp_server
    app = mail_app()
    with app.app_context():
        expected = _queue_many(queue_notice)
    start, reports, errors = threading.Barrier(2), [], []
    threads = [
        threading.Thread(target=_drain, args=(app, name, start, reports, errors))
        for name in ("worker-a", "worker-b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    delivered = Counter(message["Message-ID"] for message in handler.parsed())
    assert set(delivered) == expected and set(delivered.values()) == {1}
    assert sum(report.sent for _, report in reports) == MESSAGES
    with app.app_context():
        rows = outbox_rows()
    assert {(row.status, row.attempts, row.locked_by) for row in rows} == {("sent", 1, None)}


def test_two_worker_processes_deliver_each_message_exactly_once(
    mail_app, smtp_server, queue_notice, outbox_rows, worker_process
):
    _, handler = smtp_server
    app = mail_app()
    with app.app_context():
        expected = _queue_many(queue_notice)
    processes = [worker_process("send-once", "--batch", "3") for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    delivered = Counter(message["Message-ID"] for message in handler.parsed())
    assert set(delivered) == expected and set(delivered.values()) == {1}
    with app.app_context():
        assert {row.status for row in outbox_rows()} == {"sent"}


@pytest.mark.postgres
def test_postgres_claims_skip_rows_another_worker_has_locked(mail_app, smtp_server, queue_notice):
    app = mail_app()
    with app.app_context():
        _queue_many(queue_notice, 10)
    with app.app_context():  # worker A: claims and keeps its transaction (and row locks) open
        first = delivery.claim_due("worker-a", 4)
        with app.app_context():  # worker B: its own session and connection
            db.session.execute(text("SET LOCAL lock_timeout = '5s'"))  # fail, never hang
            second = delivery.claim_due("worker-b", 4)
            db.session.commit()
        db.session.commit()
    first_ids, second_ids = {row.id for row in first}, {row.id for row in second}
    assert len(first_ids) == len(second_ids) == 4
    assert first_ids.isdisjoint(second_ids)
