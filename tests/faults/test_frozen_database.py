"""A database server that is reachable but frozen: gunicorn's timeout ends the request.

The portal's PostgreSQL backend is stopped with SIGSTOP, between two requests or in the middle
of an INSERT: its kernel still accepts data and answers TCP keepalives, so no database timeout
fires. The production gunicorn settings
(sync workers, ``worker_abort``) end the request at gunicorn's timeout with the 503 page and
the form filled in, instead of a cut connection; once the server runs again the same form
goes through on a fresh worker, exactly once.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.servers import Gunicorn
from bench.submit import hidden_fields
from portal.extensions import db
from portal.intake.models import Enquiry
from tests.processes import fetch_form, http, portal_env, post_form, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

GUNICORN_TIMEOUT = 3
INSERTING = "INSERT INTO enquiry%"
APPLICATION = "sesam-frozen-test"  # the instance's connections, told apart from the test's
NAME, PROBLEM = "Kari Nordmann", "Unge uten jobb i kommunen vår mangler et sted å møtes og lære."


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def _instance_backends(admin: psycopg.Connection, running: str = "%") -> list[int]:
    """The instance's server processes (those running a query that starts with ``running``)."""
    rows = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
        " AND (%s = '%%' OR state = 'active' AND query LIKE %s)",
        (APPLICATION, running, running),
    )
    return [row[0] for row in rows]


@contextmanager
def _slow_enquiry_inserts(admin: psycopg.Connection) -> Iterator[None]:
    """Every INSERT into ``enquiry`` takes a second (time to freeze its server process)."""
    admin.execute(
        "CREATE FUNCTION sleep_a_second() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$"
    )
    admin.execute(
        "CREATE TRIGGER slow_insert BEFORE INSERT ON enquiry "
        "FOR EACH ROW EXECUTE FUNCTION sleep_a_second()"
    )
    try:
        yield
    finally:
        admin.execute("DROP TRIGGER slow_insert ON enquiry")
        admin.execute("DROP FUNCTION sleep_a_second()")


@contextmanager
def _frozen(pids: list[int]) -> Iterator[None]:
    """SIGSTOP the server processes; SIGCONT them afterwards."""
    assert pids, "the instance holds no connection to freeze"
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def _post_in_thread(form_url: str, hidden: dict[str, str]) -> tuple[threading.Thread, list]:
    answers: list = []

    def post() -> None:
        started = time.monotonic()
        status, page = post_form(form_url, hidden, 1, name=NAME, problem=PROBLEM)
        answers.append((status, page, time.monotonic() - started))

    thread = threading.Thread(target=post)
    thread.start()
    return thread, answers


@pytest.mark.parametrize("when", ["between requests", "during an insert"])
def test_a_frozen_database_server_gives_the_503_page_at_gunicorns_timeout(
    when, throwaway_cluster, make_app, tmp_path
):
    url = throwaway_cluster.create_database("portal_frozen")
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
    env = portal_env(
        f"{url}?application_name={APPLICATION}",
        smtp_port=1,
        FORM_MIN_FILL_SECONDS="0",
        DATABASE_TIMEOUT_SECONDS="2",
    )
    settings = ["-c", "python:portal.gunicorn_conf", "--workers", "1"]
    settings += ["--timeout", str(GUNICORN_TIMEOUT)]
    instance = Gunicorn("frozen", "wsgi:app", env, tmp_path, settings=settings)
    admin = psycopg.connect(_conninfo(url), autocommit=True)
    with admin, instance.start("/healthz"):
        form_url = instance.url("/en/contact")
        hidden = fetch_form(form_url)
        assert http(instance.url("/healthz"))[0] == 200  # the worker holds a pooled connection
        if when == "between requests":
            with _frozen(_instance_backends(admin)):
                thread, answers = _post_in_thread(form_url, hidden)
                thread.join(60)
        else:
            with _slow_enquiry_inserts(admin):
                thread, answers = _post_in_thread(form_url, hidden)
                assert wait_until(lambda: _instance_backends(admin, INSERTING), 10, every=0.05)
                with _frozen(_instance_backends(admin, INSERTING)):
                    thread.join(60)
        assert not thread.is_alive(), "the request hung"
        status, page, took = answers[0]
        assert status == 503
        assert NAME in page and PROBLEM in page
        assert "please try again in a few minutes" in page
        # Gunicorn's arbiter looks at its workers once a second; the rest is a loaded machine.
        assert GUNICORN_TIMEOUT <= took < GUNICORN_TIMEOUT + 3, took
        assert "WORKER TIMEOUT" in instance.log_path.read_text()

        status, _ = post_form(form_url, hidden_fields(page)[1], 1, name=NAME, problem=PROBLEM)
        assert status == 303  # the same form, sent again to the worker gunicorn started anew
    with app.app_context():
        assert db.session.scalar(select(func.count(Enquiry.id))) == 1
