"""SQLite connections use a write-ahead log; PostgreSQL connections are left as they are."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text

from portal.database import _on_connect
from portal.extensions import db


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
