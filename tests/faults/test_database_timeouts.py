"""A database that holds a submission up: the visitor gets the 503 page with the form kept.

PostgreSQL enforces ``DATABASE_TIMEOUT_SECONDS`` on the portal's connections: a lock it waits
for (another connection holds the year's reference counter row) and a statement that runs on
(a trigger that sleeps) are cut off by the server, and the visitor gets the form back filled in
with "please try again". Each submission runs in a thread that must come back well within a
generous bound; how fast it comes back is measured by the benchmarks, not here. Once the lock
is released or the statement is quick again, the same form goes through.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.intake.models import Enquiry, ReferenceCounter
from portal.intake.workdays import local_date
from portal.timestamps import utcnow
from tests.intake.enquiry_builders import fresh_token, submit

pytestmark = pytest.mark.postgres

TIMEOUT_SECONDS = 1
RETURNS_WITHIN = 30  # generous: only proves the request was not left hanging


def _conninfo(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def _portal(make_app):
    return make_app(
        DATABASE_TIMEOUT_SECONDS=TIMEOUT_SECONDS,
        SUBMIT_RATE_LIMIT="1000 per minute",
        FORM_MIN_FILL_SECONDS=0,
    )


def _submit_in_thread(client, token: str):
    """The POST, in a thread that must return; its response."""
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(submit(client, token=token)))
    thread.start()
    thread.join(RETURNS_WITHIN)
    assert not thread.is_alive(), "the submission hung"
    return answers[0]


def _kept_form(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Kari Nordmann" in page and "lonely after the bus routes closed" in page
    assert "prøv igjen om noen minutter" in page


@contextmanager
def _counter_row_held(database_url: str) -> Iterator[None]:
    """Another connection holds this year's counter row (``SELECT … FOR UPDATE``)."""
    with psycopg.connect(_conninfo(database_url)) as other:
        other.execute(
            "SELECT last FROM reference_counter WHERE year = %s FOR UPDATE",
            (local_date(utcnow()).year,),
        )
        yield
        other.rollback()


@contextmanager
def _slow_enquiry_inserts(database_url: str) -> Iterator[None]:
    """Every INSERT into ``enquiry`` sleeps a minute first (a runaway statement)."""
    with psycopg.connect(_conninfo(database_url), autocommit=True) as admin:
        admin.execute(
            "CREATE FUNCTION sleep_a_minute() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$"
        )
        admin.execute(
            "CREATE TRIGGER slow_insert BEFORE INSERT ON enquiry "
            "FOR EACH ROW EXECUTE FUNCTION sleep_a_minute()"
        )
        try:
            yield
        finally:
            admin.execute("DROP TRIGGER slow_insert ON enquiry")
            admin.execute("DROP FUNCTION sleep_a_minute()")


def _stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Enquiry.id)))


def test_a_locked_counter_row_gives_the_503_page_with_the_form_kept(make_app, database_url):
    app = _portal(make_app)
    with app.app_context():
        db.session.add(ReferenceCounter(year=local_date(utcnow()).year, last=0))
        db.session.commit()
    client = app.test_client()
    token = fresh_token(client)
    with _counter_row_held(database_url):
        _kept_form(_submit_in_thread(client, token))
    assert _stored(app) == 0
    assert submit(client, token=token).status_code == 303  # the same form, sent again
    assert _stored(app) == 1


def test_a_runaway_statement_gives_the_503_page_with_the_form_kept(make_app, database_url):
    app = _portal(make_app)
    client = app.test_client()
    token = fresh_token(client)
    with _slow_enquiry_inserts(database_url):
        _kept_form(_submit_in_thread(client, token))
        assert client.get("/healthz").status_code == 200  # the connection was not lost
    assert _stored(app) == 0
    assert submit(client, token=token).status_code == 303
    assert _stored(app) == 1
