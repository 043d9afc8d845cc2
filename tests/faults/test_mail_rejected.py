"""The mail server refuses some addresses: for good (550) or every time it is asked (451).

Their messages end ``failed`` (at once for 550; after ``OUTBOX_MAX_ATTEMPTS`` tries for 451) with
the server's answer kept for staff, while every other message of the same enquiries and of other
enquiries is delivered once: one bad address never holds up the rest.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from bench.servers import free_port
from bench.submit import body_for, hidden_fields
from portal.extensions import db
from portal.intake.models import Enquiry
from portal.outbox.models import OutboxMessage
from tests.mail_sink import SinkHandler, running_sink
from tests.processes import OutboxWorker, portal_env

pytestmark = pytest.mark.slow

REJECTED, DEFERRED = "nobody@example.org", "mailbox-full@example.org"
GOOD = ("kari@example.org", "ola@example.org")
MAX_ATTEMPTS = 3


def _submit(client, number: int, email: str) -> None:
    hidden = hidden_fields(client.get("/kontakt").get_data(as_text=True))[1]
    response = client.post(
        "/kontakt",
        data=body_for(hidden, number, email=email),
        content_type="application/x-www-form-urlencoded",
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 303


def test_refused_addresses_fail_alone_and_everything_else_is_delivered(
    make_app, database_url, tmp_path
):
    handler = SinkHandler(reject={REJECTED}, defer={DEFERRED})
    port = free_port()
    app = make_app(SUBMIT_RATE_LIMIT="1000 per minute", FORM_MIN_FILL_SECONDS=0)
    client = app.test_client()
    for number, email in enumerate((GOOD[0], REJECTED, DEFERRED, GOOD[1])):
        _submit(client, number, email)
    env = portal_env(
        database_url, port, OUTBOX_MAX_ATTEMPTS=str(MAX_ATTEMPTS), OUTBOX_BACKOFF_SECONDS="0"
    )
    with running_sink(handler, port):
        worker = OutboxWorker(env, tmp_path / "outbox.log", "--interval", "0.1", "--exit-when-idle")
        try:
            assert worker.process.wait(timeout=120) == 0
        finally:
            worker.stop()
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        by_enquiry = {e.id: e.email for e in db.session.scalars(select(Enquiry))}
    outcome = {
        (row.kind, by_enquiry[row.enquiry_id]): (row.status, row.attempts, row.last_error or "")
        for row in rows
    }
    status, attempts, error = outcome[("receipt", REJECTED)]
    assert (status, attempts) == ("failed", 1) and "550" in error
    status, attempts, error = outcome[("receipt", DEFERRED)]
    assert (status, attempts) == ("failed", MAX_ATTEMPTS) and "451" in error
    delivered = {key: value for key, value in outcome.items() if key[1] not in (REJECTED, DEFERRED)}
    delivered.update({key: value for key, value in outcome.items() if key[0] == "staff_notice"})
    assert {value[:2] for value in delivered.values()} == {("sent", 1)}
    assert len(delivered) == 2 + 4  # two receipts, four staff notices
    arrived = Counter(tuple(d.recipients) for d in handler.deliveries)
    assert arrived == {(GOOD[0],): 1, (GOOD[1],): 1, ("staff@example.org",): 4}
