"""The database connection: SQLite's write-ahead log and transactions, the timeouts, the pings.

On PostgreSQL, a connection the server cuts (``pg_terminate_backend``, a restart) while the
portal runs is never a 500: a pooled one is pinged and replaced before use; the request that
meets a cut gets the 503 page (the enquiry form filled in), or its answer if it had one, and
the next request works.
"""

from __future__ import annotations

import sqlite3
import time

import psycopg
import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from portal.background.jobs import JobRun
from portal.database import (
    RequestTimedOut,
    _on_connect,
    begin_writing,
    engine_options,
    transaction,
    unavailable,
)
from portal.extensions import db
from portal.intake.models import Enquiry
from portal.intake.services import submit_enquiry
from portal.timestamps import utcnow
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.intake.enquiry_builders import fresh_token, service_values, submit
from tests.staff_forms import csrf_token_from


def test_sqlite_connection_gets_wal_and_full_sync(make_app, tmp_path):
    make_app()  # registers the connect hook
    engine = create_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    finally:
        engine.dispose()


def test_app_database_is_in_wal_mode_on_sqlite(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("this run's database is PostgreSQL")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_connect_hook_leaves_other_drivers_alone():
    class NotSqlite:
        def cursor(self):
            raise AssertionError("no pragma for a connection that is not SQLite")

    _on_connect(NotSqlite(), None)
    plain = sqlite3.connect(":memory:")
    try:
        _on_connect(plain, None)
        assert plain.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        plain.close()


# --------------------------------------------------------------------------- a connection cut


def _cut(database_url: str, pid: int) -> None:
    """``pg_terminate_backend`` from a connection of its own; returns when the backend is gone."""
    conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    gone = "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)"
    with psycopg.connect(conninfo, autocommit=True) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(250):
            if killer.execute(gone, (pid,)).fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} still running")


def _backend_pid(connection) -> int:
    return connection.connection.dbapi_connection.info.backend_pid


def _pooled_pid(app) -> int:
    """The backend of the one connection a finished request left in the pool."""
    with app.app_context():
        assert db.engine.pool.checkedin() == 1
        with db.engine.connect() as connection:
            return _backend_pid(connection)


def _portal(make_app):
    # No app context is held around the requests: each one gets its own, and its teardown.
    return make_app(SUBMIT_RATE_LIMIT="1000 per minute", FORM_MIN_FILL_SECONDS=0)


def _stored_once(app) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count(Enquiry.id))) == 1


def _refused_with_the_form(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Kari Nordmann" in page and "lonely after the bus routes closed" in page


@pytest.mark.postgres
def test_a_connection_cut_while_in_the_pool_is_pinged_and_replaced(make_app, database_url):
    app = _portal(make_app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _cut(database_url, cut := _pooled_pid(app))
    assert client.get("/healthz").status_code == 200  # pinged, found dead, replaced
    assert _pooled_pid(app) != cut

    token = fresh_token(client)
    _cut(database_url, _pooled_pid(app))
    assert submit(client, token=token).status_code == 303
    _stored_once(app)


@pytest.mark.postgres
def test_a_connection_cut_after_the_last_query_keeps_the_answer(make_app, database_url):
    """Cut between the view's last query and the session's end: the rendered answer stands."""
    app = _portal(make_app)
    cuts: list[int] = []

    @app.after_request
    def cut_the_session_connection(response):
        if not cuts and db.session().in_transaction():
            cuts.append(_backend_pid(db.session.connection()))
            _cut(database_url, cuts[-1])
        return response

    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # was Werkzeug's bare 500
    assert len(cuts) == 1
    assert client.get("/healthz").status_code == 200

    token = fresh_token(client)
    cuts.clear()
    response = submit(client, token=token)
    # Once a submission also read the stored enquiry back after its commit, and a cut there was
    # a bare 500 for a stored enquiry; now nothing is read after the commit, so nothing is open.
    assert cuts == []
    assert response.status_code == 303
    again = submit(client, token=token)
    assert (again.status_code, again.headers["Location"]) == (303, response.headers["Location"])
    _stored_once(app)


@pytest.mark.postgres
def test_a_connection_cut_mid_request_is_a_503_and_the_next_request_works(make_app, database_url):
    app = _portal(make_app)
    cut_before: list[str] = []

    with app.app_context():
        staff = make_staff()
        email, engine = staff.email, db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def cut_before_statement(connection, cursor, statement, parameters, context, many):
        if cut_before and statement.startswith(cut_before[0]):
            cut_before.clear()
            _cut(database_url, _backend_pid(connection))

    client = app.test_client()
    token = fresh_token(client)
    cut_before.append("INSERT INTO reference_counter")  # the submission's first write
    _refused_with_the_form(submit(client, token=token))
    assert not cut_before
    assert submit(client, token=token).status_code == 303  # the same form, sent again
    _stored_once(app)

    login_page = client.get("/inbox/login").get_data(as_text=True)
    data = {"email": email, "password": DEFAULT_PASSWORD, "csrf_token": csrf_token_from(login_page)}
    assert client.post("/inbox/login", data=data).status_code == 303
    cut_before.append("SELECT staff_user.")
    response = client.get("/inbox/")
    assert not cut_before
    assert response.status_code == 503
    assert "503" in response.get_data(as_text=True)
    assert client.get("/inbox/").status_code == 200


def test_the_form_post_stores_the_enquiry_in_one_transaction(make_app):
    """The enquiry, its events, its mail and its number: written between one BEGIN (IMMEDIATE
    on SQLite) and one COMMIT."""
    app = _portal(make_app)
    with app.app_context():
        engine = db.engine
    log: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(connection, cursor, statement, parameters, context, many):
        log.append(statement.split(None, 3)[:3][-1] if statement.startswith("INSERT") else "")

    @event.listens_for(engine, "commit")
    def committed(connection):
        log.append("COMMIT")

    client = app.test_client()
    token = fresh_token(client)
    assert submit(client, token=token).status_code == 303
    writes = [entry for entry in log if entry]
    assert writes[0] == "reference_counter"  # the number first: it queues the others
    assert writes[-1] == "COMMIT" and writes.count("COMMIT") == 1
    assert set(writes[1:-1]) == {"enquiry", "enquiry_event", "outbox_message"}


def test_a_writer_s_transaction_begins_immediate_on_sqlite(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("this run's database is PostgreSQL")
    begins: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: begins.append(a[2]))
    db.session.scalar(select(func.count(Enquiry.id)))  # a reader: a plain (deferred) BEGIN
    begin_writing()  # ends the reader's transaction, starts the writer's
    begin_writing()  # already writing: nothing more
    db.session.rollback()
    assert [sql for sql in begins if sql.startswith("BEGIN")] == ["BEGIN", "BEGIN IMMEDIATE"]


def test_begin_writing_refuses_to_drop_pending_changes(app):
    db.session.scalar(select(func.count(Enquiry.id)))
    db.session.add(Enquiry(name="x"))
    with pytest.raises(RuntimeError):
        begin_writing()
    db.session.rollback()


def test_transaction_commits_the_block_or_rolls_it_back_and_re_raises(app):
    def run(job: str) -> JobRun:
        return JobRun(job=job, period_start=utcnow(), worker_id="w", started_at=utcnow())

    with transaction():
        db.session.add(run("kept"))
    with pytest.raises(LookupError), transaction():
        db.session.add(run("dropped"))
        db.session.flush()
        raise LookupError("a change half made")
    assert not db.session().in_transaction()  # rolled back: ready for the next use
    assert db.session.scalars(select(JobRun.job)).all() == ["kept"]


def test_a_reader_that_turns_writer_never_finds_the_database_locked(make_app):
    """SQLite's classic failure: a transaction reads, another writer commits, the first one
    writes and fails at once with "database is locked". A writer's transaction starts with
    the write lock (SQLite) or simply later (PostgreSQL), so both stores succeed."""
    app = _portal(make_app)
    with app.app_context():
        db.session.scalar(select(func.count(Enquiry.id)))  # this session has read
        with app.app_context():  # another session commits a write meanwhile
            submit_enquiry(**service_values(), lang="nb", source="site", nonce="other")
        submit_enquiry(
            **service_values(problem="Another problem, long enough to be stored."),
            lang="nb",
            source="site",
            nonce="mine",
        )
        assert db.session.scalar(select(func.count(Enquiry.id))) == 2


@pytest.mark.parametrize("timeout", [1, 2.5, 5])
def test_postgresql_connections_get_every_timeout_and_keepalives(timeout):
    options = engine_options("postgresql+psycopg://u@db.example.org/portal", timeout)
    milliseconds = int(timeout * 1000)
    assert options["pool_pre_ping"] is True
    assert options["pool_timeout"] == timeout
    args = options["connect_args"]
    assert args["connect_timeout"] == max(2, -(-timeout // 1))  # libpq: whole seconds, 2 at least
    assert args["options"] == (
        f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}"
    )
    assert args["keepalives"] == 1 and args["keepalives_idle"] >= 1
    assert args["tcp_user_timeout"] == milliseconds


def test_sqlite_waits_for_the_writer_as_long_as_the_timeout():
    assert engine_options("sqlite:////tmp/portal.sqlite3", 3) == {
        "pool_pre_ping": True,
        "connect_args": {"timeout": 3},
        "pool_timeout": 3,
    }
    assert "pool_timeout" not in engine_options("sqlite://", 3)  # in memory: no queue pool


@pytest.mark.postgres
def test_the_server_enforces_the_timeouts_on_the_app_s_connections(make_app):
    app = make_app(DATABASE_TIMEOUT_SECONDS=1.5)
    with app.app_context():
        shown = {
            name: db.session.scalar(text(f"SHOW {name}"))
            for name in ("statement_timeout", "lock_timeout")
        }
    assert shown == {"statement_timeout": "1500ms", "lock_timeout": "1500ms"}


def test_an_error_raised_while_a_timed_out_request_unwinds_counts_as_unavailable():
    try:
        try:
            raise RequestTimedOut("gunicorn's timeout")
        except RequestTimedOut:
            raise ValueError("can't change 'autocommit' now") from None  # what a driver does
    except ValueError as unwound:
        error = unwound
    assert unavailable(error)
    assert not unavailable(ValueError("a bug of the portal's own"))
