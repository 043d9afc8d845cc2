"""Scale-out for real: two portal instances and two outbox workers on one PostgreSQL and one Redis.

Many visitors submit through both instances at once while an SMTP sink refuses about a third of
the messages once with a temporary error. Every enquiry must be stored once with its own
reference, and every receipt and staff notice delivered exactly once. A client that reaches its
rate limit on one instance is limited on the other too.

The visitors' form tokens are signed here with the deployment's shared key, as either instance
would sign them: fetching 2,000 form pages would double the run time and exercise nothing the
instances share (the benchmark measures that page).

``SCALE_SUBMISSIONS`` sets the number of submissions (2,000 unless told otherwise; CI uses that).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.intake.antispam import issue_form_token
from portal.intake.models import Enquiry
from portal.outbox.models import OutboxMessage
from tests.mail_sink import SinkHandler, refused_once, running_sink
from tests.processes import (
    SECRET_KEY,
    OutboxWorker,
    fetch_form,
    portal_env,
    post_form,
    start_instance,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SUBMISSIONS = int(os.environ.get("SCALE_SUBMISSIONS", "2000"))
VISITORS = 32  # concurrent clients
FILL_SECONDS = 1.0
DRAIN_TIMEOUT = 240


def _free_port() -> int:
    from bench.servers import free_port

    return free_port()


def _outbox_state(app) -> tuple[Counter, list[OutboxMessage]]:
    with app.app_context():
        db.session.expire_all()
        rows = list(db.session.scalars(select(OutboxMessage)))
        return Counter(row.status for row in rows), rows


def test_two_instances_store_every_enquiry_and_deliver_every_email_once(
    make_app, database_url, redis_url, tmp_path
):
    handler = SinkHandler(refuse_a_third=True)
    port = _free_port()
    env = portal_env(
        database_url,
        port,
        RATELIMIT_STORAGE_URI=redis_url,
        SUBMIT_RATE_LIMIT="100000 per minute",
        FORM_MIN_FILL_SECONDS=str(FILL_SECONDS),
    )
    timings = {}
    with running_sink(handler, port):
        instances = [start_instance(f"portal-{n}", env, tmp_path) for n in (1, 2)]
        workers = [
            OutboxWorker(env, tmp_path / f"outbox-{n}.log", "--interval", "0.2", "--batch", "25")
            for n in (1, 2)
        ]
        try:
            app = make_app(SECRET_KEY=SECRET_KEY)
            with app.app_context():
                forms = [{"form_token": issue_form_token()} for _ in range(SUBMISSIONS)]
            time.sleep(FILL_SECONDS + 0.5)  # visitors take their time to fill in the form
            started = time.monotonic()
            with ThreadPoolExecutor(VISITORS) as pool:
                answers = list(
                    pool.map(
                        lambda n: post_form(instances[n % 2].url("/kontakt"), forms[n], n),
                        range(SUBMISSIONS),
                    )
                )
            timings["submitted"] = time.monotonic() - started
            assert Counter(status for status, _ in answers) == {303: SUBMISSIONS}

            started = time.monotonic()
            drained = wait_until(
                lambda: _outbox_state(app)[0].get("pending", 0) == 0, DRAIN_TIMEOUT, every=1
            )
            timings["mail drained"] = time.monotonic() - started
        finally:
            for worker in workers:
                worker.stop()
            for instance in instances:
                instance.stop()
    print(
        f"\nscale: {SUBMISSIONS} submissions; "
        + ", ".join(f"{name} in {seconds:.1f} s" for name, seconds in timings.items())
    )
    statuses, rows = _outbox_state(app)
    assert drained, f"outbox not drained in {DRAIN_TIMEOUT} s: {dict(statuses)}"

    with app.app_context():
        total = db.session.scalar(select(func.count(Enquiry.id)))
        references = db.session.scalar(select(func.count(func.distinct(Enquiry.reference))))
        spam = db.session.scalar(select(func.count(Enquiry.id)).where(Enquiry.status == "spam"))
    assert (total, references, spam) == (SUBMISSIONS, SUBMISSIONS, 0)

    assert statuses == {"sent": 2 * SUBMISSIONS}
    assert Counter(row.kind for row in rows) == {
        "receipt": SUBMISSIONS,
        "staff_notice": SUBMISSIONS,
    }
    delivered = handler.counts()
    assert set(delivered) == {row.message_id for row in rows}
    assert set(delivered.values()) == {1}, "a message arrived twice"
    refused = [row for row in rows if refused_once(row.message_id)]
    assert handler.temporary_refusals == len(refused) > SUBMISSIONS / 2
    assert {row.attempts for row in refused} == {2}
    assert {row.attempts for row in rows if not refused_once(row.message_id)} == {1}


def test_a_client_limited_on_one_instance_is_limited_on_the_other(
    make_app, database_url, redis_url, tmp_path
):
    """The normal limit (SPEC: 5 per minute) counted in Redis, so both instances agree."""
    env = portal_env(
        database_url,
        _free_port(),  # nobody listens: no mail is sent in this test
        RATELIMIT_STORAGE_URI=redis_url,
        SUBMIT_RATE_LIMIT="5 per minute;30 per day",
        FORM_MIN_FILL_SECONDS="0",
    )
    first, second = (start_instance(f"limited-{n}", env, tmp_path, workers=1) for n in (1, 2))
    try:
        instances = [first, second]
        statuses = []
        for number in range(7):  # alternating: 4 posts reach the first instance, 3 the second
            instance = instances[number % 2]
            hidden = fetch_form(instance.url("/kontakt"))
            status, page = post_form(instance.url("/kontakt"), hidden, 9000 + number)
            statuses.append(status)
        assert statuses == [303] * 5 + [429, 429]
        assert "Benchmark visitor 9006" in page  # refused, with the form still filled in
    finally:
        first.stop()
        second.stop()
    with make_app().app_context():
        assert db.session.scalar(select(func.count(Enquiry.id))) == 5
