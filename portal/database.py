"""SQLite set up for a web server: write-ahead logging on every connection.

In its default rollback-journal mode SQLite syncs to disk several times per commit and makes
readers and the writer wait for each other; with a write-ahead log (WAL) a commit is one
append and one sync (``synchronous`` stays FULL: a committed enquiry survives a power cut), and
pages keep being read while an enquiry is written. PostgreSQL needs nothing here.
"""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import Engine, event


def _on_connect(dbapi_connection, connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; cheap to repeat
            cursor.execute("PRAGMA synchronous=FULL")
        finally:
            cursor.close()


def init_app(app: Flask) -> None:
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
