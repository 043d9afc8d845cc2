"""SQLite connections use a write-ahead log; PostgreSQL connections are left as they are.

On PostgreSQL, a connection the server cuts (``pg_terminate_backend``, a restart) while the
portal runs is never a 500: the request that meets it gets the 503 page (the enquiry form
filled in), or its answer if it had one, and the next request works.
"""

from __future__ import annotations

import sqlite3
import time

import psycopg
import pytest
from flask import request
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from portal import database
from portal.database import _on_connect, reads_only
from portal.extensions import csrf, db
from portal.intake.models import Enquiry
from tests.conftest import csrf_token_from
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.intake.enquiry_builders import fresh_token, submit


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
def test_a_pooled_connection_cut_between_requests_is_never_a_500(make_app, database_url):
    app = _portal(make_app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _cut(database_url, _pooled_pid(app))
    # Back in the pool for less than PING_AFTER_IDLE_SECONDS, so not pinged: the request meets
    # the cut (a 503), and the pool connects afresh.
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/healthz").status_code == 200

    token = fresh_token(client)
    _cut(database_url, _pooled_pid(app))
    response = submit(client, token=token)
    if response.status_code != 303:
        _refused_with_the_form(response)
        response = submit(client, token=token)
    assert response.status_code == 303
    assert submit(client, token=token).headers["Location"] == response.headers["Location"]
    _stored_once(app)


@pytest.mark.postgres
def test_a_connection_cut_while_idle_in_the_pool_is_found_by_the_ping(
    make_app, database_url, monkeypatch
):
    app = _portal(make_app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _cut(database_url, cut := _pooled_pid(app))
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if idle past the window
    assert client.get("/healthz").status_code == 200  # pinged, found dead, replaced
    assert _pooled_pid(app) != cut

    token = fresh_token(client)
    _cut(database_url, _pooled_pid(app))
    assert submit(client, token=token).status_code == 303
    _stored_once(app)


@pytest.mark.postgres
def test_only_a_connection_idle_past_the_window_is_pinged(make_app, monkeypatch):
    app = _portal(make_app)
    with app.app_context():
        dialect = db.engine.dialect
    pings: list[int] = []
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
    client = app.test_client()
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 60.0)  # a slow CI machine stays inside
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert pings == []  # a fresh connection, then one back in the pool within the window
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
    for _ in range(2):
        assert client.get("/healthz").status_code == 200
    assert pings == [1, 1]


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
    cut_before.append("WITH counter AS ")  # the one statement that stores it (intake.arrival)
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


@pytest.mark.postgres
def test_a_reading_view_runs_without_a_transaction_and_others_keep_theirs(make_app):
    app = _portal(make_app)
    seen: dict[str, bool] = {}

    def autocommit() -> bool:
        return db.session.connection().connection.dbapi_connection.autocommit

    @app.get("/_test/reads")
    @reads_only
    def reads():
        seen["reads"] = autocommit()
        return str(db.session.scalar(select(func.count(Enquiry.id))))

    @app.route("/_test/plain", methods=["GET", "POST"])
    @csrf.exempt
    def plain():
        seen[request.method] = autocommit()
        return "ok"

    client = app.test_client()
    assert client.get("/_test/reads").get_data(as_text=True) == "0"
    assert client.get("/_test/plain").status_code == 200
    assert client.post("/_test/plain").status_code == 200
    assert seen == {"reads": True, "GET": False, "POST": False}
    with app.app_context():  # the pooled connection went back in its usual mode
        assert autocommit() is False


@pytest.mark.postgres
def test_the_form_post_runs_two_statements_and_no_transaction(make_app):
    """The duplicate check, the routing rule's lookup and the one statement that stores the
    enquiry (intake.arrival), each committing on its own: no BEGIN or COMMIT round trips."""
    app = _portal(make_app)
    with app.app_context():
        engine = db.engine
    statements: list[tuple[str, bool]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(connection, cursor, statement, parameters, context, many):
        autocommit = connection.connection.dbapi_connection.autocommit
        statements.append((statement.split(None, 1)[0], autocommit))

    client = app.test_client()
    assert submit(client, token=fresh_token(client)).status_code == 303
    token = fresh_token(client)
    statements.clear()
    response = submit(client, token=token, problem="Another problem, long enough to be kept.")
    assert response.status_code == 303
    assert statements == [("SELECT", True), ("SELECT", True), ("WITH", True)]
    with app.app_context():  # the pooled connection went back in its usual mode
        assert db.session.connection().connection.dbapi_connection.autocommit is False
