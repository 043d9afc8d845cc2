"""The benchmark's own databases: SQLite files under the results folder, and ``bench_*``
databases on the PostgreSQL server named by ``BENCH_POSTGRES_URL``."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.scenarios import EMBED_HOST
from bench.servers import ROOT

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PREFIX = "bench_"
FILM_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def postgres_server_url() -> str:
    """Where ``bench_*`` databases are made (any database on that server will do)."""
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)


def postgres_available() -> bool:
    engine = create_engine(postgres_server_url())
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def database_url(kind: str, name: str, data_dir: Path) -> str:
    """The URL of the benchmark database ``name`` (e.g. ``web``, ``inbox_100000``)."""
    if kind == "sqlite":
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{data_dir / (name + '.sqlite3')}"
    if kind == "postgres":
        return (
            make_url(postgres_server_url())
            .set(database=PREFIX + name)
            .render_as_string(hide_password=False)
        )
    raise ValueError(f"unknown database kind {kind!r}")


def recreate(url: str) -> None:
    """Drop and create the database (an SQLite file is deleted)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(parsed.database) + suffix).unlink(missing_ok=True)
        return
    if not str(parsed.database).startswith(PREFIX):
        raise ValueError(f"refusing to drop {parsed.database!r}: not a {PREFIX}* database")
    engine = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        engine.dispose()


def exists(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(str(parsed.database)).exists()
    engine = create_engine(postgres_server_url())
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).first()
        return found is not None
    finally:
        engine.dispose()


def settle(url: str) -> None:
    """Bring a database that was just written in bulk to the state a live one is in: statistics
    for the planner and, on PostgreSQL, a vacuum (which also merges the full-text index's pending
    entries) and a checkpoint. Autovacuum and the checkpointer would do the same within a minute
    or so, in the background of whatever is measured next; the benchmark must not measure that
    minute. Used after seeding and after the submissions scenario."""
    postgres = make_url(url).get_backend_name() == "postgresql"
    engine = create_engine(url, isolation_level="AUTOCOMMIT" if postgres else None)
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
            if postgres:
                conn.execute(text("CHECKPOINT"))
            conn.commit()
    finally:
        engine.dispose()


def portal_env(url: str, secret_key: str, cache_url: str) -> dict[str, str]:
    """The portal's environment in every benchmark: production mode with its cache on Redis, the
    film and the embed's host configured, limits raised so that the load generator is not
    rate-limited as one client."""
    return {
        "PORTAL_ENV": "production",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": url,
        "CACHE_REDIS_URL": cache_url,
        "FILM_URL": FILM_URL,
        "EMBED_ALLOWED_ORIGINS": EMBED_HOST,
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SUBMIT_RATE_LIMIT": "1000000 per minute",
        "RECEIPT_RATE_LIMIT": "1000000 per day",  # every submission writes its receipt
        "MAIL_SERVER": "",
        "FLASK_DEBUG": "0",
    }


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)


def flask(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    """Run ``flask --app wsgi ARGS`` with ``env``; returns stdout, raises on failure."""
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"flask {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-2000:]}"
        )
    return completed.stdout


def migrate(env: dict[str, str]) -> None:
    """Bring the database in ``env`` to the latest migration."""
    flask(["db", "upgrade"], env)
