"""The database connection, set up for a web server.

SQLite: write-ahead logging on every connection. In its default rollback-journal mode SQLite
syncs to disk several times per commit and makes readers and the writer wait for each other;
with a write-ahead log (WAL) a commit is one append and one sync (``synchronous`` stays FULL: a
committed enquiry survives a power cut), and pages keep being read while an enquiry is written.

SQLite lets one process write at a time, and a writer that finds the file locked polls: it
sleeps 1, 2, 5, 10 ms... and tries again, each try costing system calls. ``one_writer_at_a_time``
queues a hot write path's transactions in the kernel instead (an exclusive ``flock`` on a file
beside the database): the next writer wakes the moment the last one has committed.

Every database: the end of a request survives a connection the server has cut (see
``_remove_session``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask, current_app, request
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, InvalidatePoolError

from portal.extensions import db

log = logging.getLogger(__name__)
V = TypeVar("V", bound=Callable)


def _on_connect(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; cheap to repeat
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()


def _remove_session(error: BaseException | None) -> None:
    """End the request's session; a connection the server cut meanwhile is not an error.

    Flask-SQLAlchemy's own teardown rolls back what the request left open (``/healthz``'s
    ``SELECT 1``, the receipt's reference read after the commit). If PostgreSQL cut the
    connection after that last query (a restart, ``pg_terminate_backend``), the ROLLBACK raises
    from the teardown, after every error handler: the visitor got Werkzeug's bare 500 instead
    of the page already rendered, even for an enquiry already stored. There is nothing left to
    roll back; SQLAlchemy has invalidated the dead connection (the pool replaces it and renews
    the others: ``_ping_after_idle``), so log it and drop the session, whose registry entry the
    failed ``remove()`` left behind. Flask runs this before Flask-SQLAlchemy's teardown (registered
    after it), which then finds no session.
    """
    try:
        db.session.remove()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("database connection lost at the end of a request: %s", type(exc.orig).__name__)
        db.session.remove()  # the dead transaction is gone now: this closes and forgets


def reads_only(view: V) -> V:
    """Mark a view that only reads (put it right under the route decorator).

    On PostgreSQL its GET requests run without a transaction: every statement sees the latest
    committed data, and the request saves the round trips of BEGIN and of the ROLLBACK at its
    end, which on a list page cost as much as one of its queries. A view marked so must never
    write: nothing would roll it back.
    """
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def _start_reading() -> None:
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return
    if getattr(current_app.view_functions.get(request.endpoint), "reads_only", False):
        commit_each_statement()


def commit_each_statement() -> None:
    """On PostgreSQL, let the rest of this request's statements each commit on its own.

    For a request that only reads (``reads_only``) or whose writes are each a single statement
    (the enquiry form's POST: a new enquiry is one, ``intake.arrival``): it saves the round trips
    of BEGIN and COMMIT. Does nothing on SQLite (whose BEGIN costs no round trip), or once the
    session has a transaction (a test's app context, say): the rest then runs in that one.
    """
    if db.engine.dialect.name != "postgresql":
        return
    session = db.session()
    if not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@contextmanager
def one_writer_at_a_time() -> Iterator[None]:
    """Hold the database's writer queue around a write transaction (commit or roll back inside).

    On a SQLite file: an exclusive ``flock`` on ``<database>-writers.lock``, opened for this use
    alone, so it queues threads as well as processes and is released by the kernel even if the
    process dies. Whoever does not queue (a shell, an old process) still meets SQLite's own lock
    and busy timeout, so this only ever makes waiting cheaper. Elsewhere (PostgreSQL, an
    in-memory SQLite) it does nothing: PostgreSQL queues waiting writers itself.
    """
    path = _writers_lock_path()
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases the lock


def _writers_lock_path() -> str | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):  # a URI filename: leave it to SQLite
        return None
    return f"{url.database}-writers.lock"


def configure(app: Flask) -> None:
    """Engine options for the configured database; call before ``db.init_app``.

    No ``pool_pre_ping``: ``init_app`` pings the way a busy pool needs (``_ping_after_idle``).
    """
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["pool_pre_ping"] = False
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


# A connection back in the pool for less than this is handed out again without a ping (the
# "alive bypass window" of HikariCP, the JDBC pool, which also uses 500 ms).
PING_AFTER_IDLE_SECONDS = 0.5
_IDLE_SINCE = "portal_idle_since"


def _ping_after_idle(engine: Engine) -> None:
    """Pre-ping, without the pings a busy pool does not need.

    A connection that waited in the pool may have been cut meanwhile (a database restart, an
    idle timeout): it is pinged before it is handed out, and a dead one makes the pool drop
    every connection it holds and connect afresh, so a request never meets a dead connection
    after a quiet spell and the portal recovers by itself. SQLAlchemy's ``pool_pre_ping`` does
    that for every checkout, which costs each request a round trip; under load, a connection
    comes back to the pool for a few milliseconds between requests, and one cut in that moment
    is a connection cut during a request (the visitor gets the "please try again" page, and
    the pool is renewed all the same). So connections idle for less than
    ``PING_AFTER_IDLE_SECONDS``, or just opened, are handed out unpinged. SQLite (a file, no
    server) is never pinged.
    """
    dialect = engine.dialect
    if dialect.name == "sqlite":
        return

    def note_idle(dbapi_connection, record) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    def ping_if_idle(dbapi_connection, record, proxy) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            log.warning("a pooled database connection was cut: the pool connects afresh")
            raise InvalidatePoolError(str(error)) from error

    event.listen(engine, "checkin", note_idle)
    event.listen(engine, "checkout", ping_if_idle)


def init_app(app: Flask) -> None:
    """Register the hooks; call after ``db.init_app`` so ``_remove_session`` runs first, and
    before the features, so ``_start_reading`` comes before their first query (the user's)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
    with app.app_context():
        _ping_after_idle(db.engine)
    app.before_request(_start_reading)
    app.teardown_appcontext(_remove_session)
