"""PostgreSQL restarts while visitors submit (a throwaway cluster of the test's own).

The visitor whose request meets the outage gets a 503 page with everything they typed and a
"please try again" message; pressing send again once the database is back stores the enquiry,
exactly once. The portal recovers by itself (the pool renews its connections after a cut, and
pings every pooled one before use: ``pool_pre_ping``): no restart, no lost enquiry.
``/healthz`` says the database is unreachable while it is down.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from bench.submit import hidden_fields
from portal.extensions import db
from portal.intake.models import Enquiry
from tests.processes import fetch_form, http, post_form, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

VISITORS = 6
GIVE_UP_SECONDS = 90
NAME, PROBLEM = "Kari Nordmann", "Unge uten jobb i kommunen vår mangler et sted å møtes og lære."


class Visitors:
    """Visitors submitting in a loop; one who gets a 503 presses send again on that page."""

    def __init__(self, form_url: str) -> None:
        self.form_url = form_url
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.seen: Counter = Counter()  # every status any request got
        self.stored: list[int] = []  # visitor numbers whose enquiry was confirmed (303)
        self.met_outage: list[int] = []
        self.threads = [threading.Thread(target=self.visit, args=(n,)) for n in range(VISITORS)]

    def visit(self, first: int) -> None:
        number = first
        while not self.stop.is_set():
            status, page = post_form(self.form_url, fetch_form(self.form_url), number)
            deadline = time.monotonic() + GIVE_UP_SECONDS
            outage = False
            while status == 503 and time.monotonic() < deadline:
                with self.lock:
                    self.seen[status] += 1
                outage = True
                time.sleep(0.3)
                status, page = post_form(self.form_url, hidden_fields(page)[1], number)
            with self.lock:
                self.seen[status] += 1
                if status == 303:
                    self.stored.append(number)
                if outage:
                    self.met_outage.append(number)
            number += VISITORS

    def count(self, what: str) -> int:
        with self.lock:
            return len(getattr(self, what))


def test_visitors_survive_a_database_restart(throwaway_cluster, make_app, live_server_factory):
    url = throwaway_cluster.create_database("portal_faults")
    app = make_app(
        SQLALCHEMY_DATABASE_URI=url,
        SUBMIT_RATE_LIMIT="100000 per minute",
        FORM_MIN_FILL_SECONDS=0,
    )
    with app.app_context():
        upgrade()
    server = live_server_factory(app)
    form_url = server.url + "/en/contact"
    visitors = Visitors(form_url)
    for thread in visitors.threads:
        thread.start()
    try:
        assert wait_until(lambda: visitors.count("stored") >= 10, timeout=60)
        throwaway_cluster.stop()

        hidden = fetch_form(form_url)  # the form itself needs no database
        status, page = post_form(form_url, hidden, 999_999, name=NAME, problem=PROBLEM)
        assert status == 503
        assert NAME in page and PROBLEM in page
        assert "please try again in a few minutes" in page
        health_status, health = http(server.url + "/healthz")
        assert health_status == 503
        assert json.loads(health)["database"] is False
        assert wait_until(lambda: visitors.seen[503] > 0, timeout=30)

        throwaway_cluster.start()  # the portal is not restarted
        stored_before = visitors.count("stored")
        assert wait_until(lambda: visitors.count("stored") >= stored_before + 10, timeout=60)
        status, _ = post_form(form_url, hidden_fields(page)[1], 999_999, name=NAME, problem=PROBLEM)
        assert status == 303  # the same filled-in form, sent again
        health_status, health = http(server.url + "/healthz")
        assert (health_status, json.loads(health)["database"]) == (200, True)
    finally:
        visitors.stop.set()
        for thread in visitors.threads:
            thread.join(timeout=GIVE_UP_SECONDS + 30)
    assert set(visitors.seen) <= {303, 503}, visitors.seen  # no 500, no lost form
    assert visitors.met_outage, "no visitor met the outage"
    assert set(visitors.met_outage) <= set(visitors.stored)  # each of them got through later
    with app.app_context():
        stored = db.session.scalar(select(func.count(Enquiry.id)))
        distinct = db.session.scalar(select(func.count(func.distinct(Enquiry.form_nonce))))
    assert stored == distinct == len(visitors.stored) + 1  # none lost, none twice
