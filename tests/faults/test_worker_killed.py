"""kill -9 an outbox worker in the middle of a batch: every message is still delivered, and only
the message in flight at the kill may arrive twice, with the same Message-ID.

The SMTP sink stalls on the fifth message of the batch after receiving it (the data is in, the
"250" not yet sent): the worker has handed it over and waits, exactly the window in which a
crash leaves the database not knowing that the message went out.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bench.servers import free_port
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue
from tests.mail_sink import SinkHandler, running_sink
from tests.processes import OutboxWorker, portal_env, wait_until

pytestmark = pytest.mark.slow

MESSAGES = 30
BATCH = 20
STALL_AT = 5
LEASE_SECONDS = 3  # how long the dead worker's claimed rows wait before another takes them


def _queue(app, count: int) -> list[str]:
    with app.app_context():
        ids = []
        for number in range(count):
            message = enqueue(
                kind="test",
                to=f"person{number}@example.org",
                template="notice",
                lang="nb",
                context={"subject": f"Melding {number}", "heading": "Hei", "body": "Tekst."},
            )
            ids.append(message.message_id)
        db.session.commit()
        return ids


def _rows(app) -> list[OutboxMessage]:
    with app.app_context():
        db.session.expire_all()
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_message_in_flight(
    make_app, database_url, tmp_path
):
    handler = SinkHandler()
    handler.stall_when = lambda delivery: handler.accepted() == STALL_AT
    port = free_port()
    env = portal_env(database_url, port, OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS))
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, OUTBOX_LEASE_SECONDS=LEASE_SECONDS)
    queued = _queue(app, MESSAGES)
    with running_sink(handler, port):
        doomed = OutboxWorker(
            env,
            tmp_path / "doomed.log",
            "--batch",
            str(BATCH),
            "--interval",
            "0.2",
            "--worker-id",
            "doomed",
        )
        survivor = None
        try:
            assert handler.stalled.wait(timeout=90), "the worker never reached the stall"
            in_flight = handler.deliveries[STALL_AT - 1].message_id
            doomed.kill()  # SIGKILL: no cleanup, no commit, the claimed rows stay leased
            handler.release.set()
            leased = [row for row in _rows(app) if row.locked_by == "doomed"]
            assert len(leased) == BATCH - (STALL_AT - 1)  # the message in flight and the rest
            survivor = OutboxWorker(
                env,
                tmp_path / "survivor.log",
                "--batch",
                str(BATCH),
                "--interval",
                "0.2",
                "--worker-id",
                "survivor",
            )
            delivered = wait_until(
                lambda: all(row.status == "sent" for row in _rows(app)), timeout=120
            )
        finally:
            doomed.stop()
            if survivor:
                survivor.stop()
    assert delivered, f"still pending: {[r.id for r in _rows(app) if r.status != 'sent']}"
    counts = handler.counts()
    assert set(counts) == set(queued)  # every message arrived
    assert {mid: n for mid, n in counts.items() if n > 1} == {in_flight: 2}
    rows = _rows(app)
    assert {(row.status, row.locked_by) for row in rows} == {("sent", None)}
    sent_by_survivor_after_the_lease = [
        row for row in rows if row.message_id in {lease.message_id for lease in leased}
    ]
    assert all(row.attempts == 1 for row in sent_by_survivor_after_the_lease)
