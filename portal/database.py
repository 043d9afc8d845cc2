"""The database connection: timeouts, SQLite's transactions, and the end of a request.

Timeouts (``DATABASE_TIMEOUT_SECONDS``): a locked row, a runaway statement, a full pool or an
unreachable server fails the request (the visitor gets the 503 page, a form comes back filled
in) instead of hanging it. PostgreSQL enforces the statement and lock timeouts itself; the
client gives up connecting, and TCP keepalives notice a server that went silent. SQLite waits
for another writer at most as long (its busy timeout). Every pooled connection is pinged
before use (``pool_pre_ping``), so one cut by a database restart is replaced, not handed out.
A server that is reachable but frozen answers TCP yet never the query, so none of these fire:
gunicorn's worker timeout ends that request (``RequestTimedOut``).

SQLite: write-ahead logging (a commit is one append and one sync, and readers never wait for
the writer), and transactions as SQLAlchemy's pysqlite recipe makes them: pysqlite's own
transaction handling is switched off and SQLAlchemy emits BEGIN, so what a transaction reads
is one consistent snapshot. A transaction that will write says so first (``begin_writing``):
it starts with ``BEGIN IMMEDIATE``, taking SQLite's write lock before it reads, so it never
fails with "database is locked" for having read a snapshot another writer has since replaced.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.extensions import db

log = logging.getLogger(__name__)
WRITES = "portal_writes"  # a connection's execution option: its transaction will write


class RequestTimedOut(TimeoutError):
    """A request outlived gunicorn's worker timeout (raised in it by ``worker_abort``).

    A subclass of TimeoutError, which SQLAlchemy treats as an interruption: a connection in use
    when it arrives is invalidated, never rolled back (on a frozen server that would wait
    again), so the error page can be sent before gunicorn kills the worker.
    """


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database could not serve the request just now.

    The server is down, too slow, holds a lock too long or the pool has no free connection; or
    gunicorn's timeout ended the request, whatever the driver raised while it unwound (a
    connection interrupted mid-query refuses its clean-up: "connection in transaction status
    ACTIVE").
    """
    if isinstance(error, (OperationalError, PoolTimeout)):
        return True
    while error is not None:
        if isinstance(error, RequestTimedOut):
            return True
        error = error.__context__
    return False


def engine_options(url: str, timeout: float) -> dict:
    """``create_engine`` options for ``url`` with every wait bounded by ``timeout`` seconds."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options: dict = {"pool_pre_ping": True, "connect_args": {"timeout": timeout}}
        if parsed.database not in (None, "", ":memory:"):  # a file: a queue pool
            options["pool_timeout"] = timeout
        return options
    milliseconds = max(1, round(timeout * 1000))
    connect_args = {
        "connect_timeout": max(2, math.ceil(timeout)),  # libpq's smallest
        "options": f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds}",
        # A server that went silent (a dead host, a cut network): TCP gives up on it after
        # the timeout and one unanswered probe, and on data it never acknowledged likewise.
        "keepalives": 1,
        "keepalives_idle": max(1, math.ceil(timeout)),
        "keepalives_interval": 1,
        "keepalives_count": 1,
        "tcp_user_timeout": milliseconds,
    }
    return {"pool_pre_ping": True, "pool_timeout": timeout, "connect_args": connect_args}


def configure(app: Flask) -> None:
    """Engine options for the configured database; call before ``db.init_app``.

    Options a test or deployment set in ``SQLALCHEMY_ENGINE_OPTIONS`` win.
    """
    options = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["DATABASE_TIMEOUT_SECONDS"]
    )
    given = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["connect_args"] = {**options["connect_args"], **given.pop("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, **given}


def _on_connect(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None  # pysqlite emits no BEGIN: ``_on_begin`` does
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; cheap to repeat
            cursor.execute("PRAGMA synchronous=FULL")  # a committed enquiry survives a power cut
        finally:
            cursor.close()


def _on_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        writes = connection.get_execution_options().get(WRITES)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def begin_writing() -> None:
    """Start the session's transaction as one that writes (call before its first read).

    A transaction the session holds that has only read so far ends here, so that the writer's
    starts now: on SQLite with the write lock, on PostgreSQL as any other. Does nothing if the
    session already writes. Raises RuntimeError if changes are pending (a caller's mistake:
    they would be lost).
    """
    session = db.session()
    if session.in_transaction():
        if session.connection().get_execution_options().get(WRITES):
            return
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_writing() must come before the transaction's first change")
        session.rollback()
    session.connection(execution_options={WRITES: True})


@contextmanager
def transaction() -> Iterator[None]:
    """Run the block as one transaction that writes (``begin_writing``), then commit it.

    On any exception the session rolls back before it propagates: a failed transaction is
    never left to the session's next user, nor a half-made change for a later commit to keep.
    (Not ``session.begin()``, which refuses a session that autobegan on an earlier read.)
    """
    try:
        begin_writing()
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def refresh_statistics() -> None:
    """ANALYZE: have the database count what its tables and indexes hold, for its planner.

    SQLite keeps no such counts by itself; without them it cannot tell that a column holds few
    values, and reads the overview's period whole instead of value by value along each column's
    index (``portal.inbox.models.OVERVIEW_INDEXES``). PostgreSQL's autovacuum keeps its own;
    refreshing them there too is harmless. The worker runs this daily (``database-statistics``).
    """
    with transaction():
        db.session.execute(text("ANALYZE"))


def _remove_session(error: BaseException | None) -> None:
    """End the request's session; a connection the server cut meanwhile is not an error.

    Flask-SQLAlchemy's own teardown rolls back what the request left open (``/healthz``'s
    ``SELECT 1``, say). If PostgreSQL cut the connection after that last query (a restart,
    ``pg_terminate_backend``), the ROLLBACK raises from the teardown, after every error
    handler: the visitor would get Werkzeug's bare 500 instead of the page already rendered.
    There is nothing left to roll back; SQLAlchemy has invalidated the dead connection, so log
    it and drop the session, whose registry entry the failed ``remove()`` left behind. Flask
    runs this before Flask-SQLAlchemy's teardown (registered after it), which then finds no
    session.
    """
    try:
        db.session.remove()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        log.warning("database connection lost at the end of a request: %s", type(exc.orig).__name__)
        db.session.remove()  # the dead transaction is gone now: this closes and forgets


def init_app(app: Flask) -> None:
    """Register the hooks; call after ``db.init_app`` so ``_remove_session`` runs first."""
    for name, listener in (("connect", _on_connect), ("begin", _on_begin)):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)
    app.teardown_appcontext(_remove_session)
