"""Shared fixtures: the app on the test database, clients, a live server, Chromium, real SMTP.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another (CI runs the
whole suite a second time on PostgreSQL). The schema is built by the migrations, once per session;
every test starts with empty tables.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_babel
import pytest
import redis
from aiosmtpd.controller import Controller
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter
from portal.web.i18n import translation_directories

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TEST_SECRET = "test-secret-key-with-enough-length-0123456789"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _compile_catalogues() -> None:
    """Compile every feature's .po into .mo when stale, so a bare `pytest` has translations."""
    for directory in translation_directories():
        for po_path in Path(directory).glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalogue = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalogue)


# --------------------------------------------------------------------------- session setup


def pytest_configure(config: pytest.Config) -> None:
    _compile_catalogues()


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    if _flag("REQUIRE_POSTGRES"):
        raise pytest.UsageError("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
    return f"sqlite:///{tmp_root / 'test.sqlite3'}"


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test database, emptied and migrated to head once per session."""
    url = _database_url(tmp_path_factory.mktemp("db"))
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if is_postgres(url):
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:
        if is_postgres(url) and _flag("REQUIRE_POSTGRES"):
            raise
        raise pytest.UsageError(f"test database {url!r} is not reachable: {exc}") from exc
    finally:
        engine.dispose()
    app = create_app(_base_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url


def _base_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": url,
        "MAIL_SERVER": None,
        "MAIL_FILE_DIR": str(instance / "mail"),
        "RATELIMIT_STORAGE_URI": "memory://",
        # Tests send many enquiries from one address; the receipt limit has its own tests.
        "RECEIPT_RATE_LIMIT": "1000000 per day",
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "CONTACT_EMAIL": "sesam@example.org",
        "STAFF_NOTIFY_EMAIL": "staff@example.org",
    }


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    try:
        names = [t.name for t in reversed(db.metadata.sorted_tables)]
        existing = set(inspect(engine).get_table_names())
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                tables = ", ".join(f'"{name}"' for name in names if name in existing)
                if tables:
                    conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            else:
                for name in names:
                    if name in existing:
                        conn.execute(text(f'DELETE FROM "{name}"'))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- apps and clients


@pytest.fixture(autouse=True)
def _empty_database_after_test(database_url: str) -> Iterator[None]:
    """Every test starts with empty tables and fresh rate-limit counters."""
    yield
    _empty_tables(database_url)
    limiter.reset()


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Factory: ``make_app(SUBMIT_RATE_LIMIT="1000 per minute")`` builds the portal for a test."""
    apps: list[Flask] = []

    def factory(**overrides) -> Flask:
        config = _base_config(database_url, tmp_path)
        config.update(overrides)
        app = create_app(config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The portal with the test defaults, inside an app context that the client's requests
    share; Flask-Babel caches the locale on ``g``, so each request forgets the previous one's
    (as the fresh app context of a real request would)."""
    application = make_app()
    application.before_request(flask_babel.refresh)
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def hx(app: Flask):
    """A client whose requests come from htmx."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_HX_REQUEST"] = "true"
    return test_client


# --------------------------------------------------------------------------- Redis


@contextmanager
def empty_redis_database(url: str) -> Iterator[str]:
    """``url``, a Redis database of the tests' own, emptied before and after. Skips without a
    Redis server, and fails instead where CI requires the real services (REQUIRE_POSTGRES)."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        message = f"needs Redis at {url} ({error})"
        if _flag("REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


# --------------------------------------------------------------------------- live server


class LiveServer:
    """A real HTTP server around an app, on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, app: Flask, host: str = "127.0.0.1") -> None:
        self.app = app
        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server_factory() -> Iterator[Callable[..., LiveServer]]:
    servers: list[LiveServer] = []

    def factory(app: Flask, host: str = "127.0.0.1") -> LiveServer:
        server = LiveServer(app, host).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory) -> Iterator[LiveServer]:
    """The portal served once per session for browser tests (test defaults, film configured).

    Session-scoped because pytest-playwright's ``base_url`` is. Tests that need other settings
    build their own app with ``make_app`` and serve it with ``live_server_factory``.
    """
    config = _base_config(database_url, tmp_path_factory.mktemp("live"))
    config["FILM_URL"] = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    server = LiveServer(create_app(config)).start()
    yield server
    server.stop()
    with server.app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """pytest-playwright hands this to every new page: ``page.goto("/")`` works."""
    return live_server.url


@pytest.fixture
def server(make_app: Callable[..., Flask], live_server_factory) -> LiveServer:
    """The portal with the test defaults, served for this test alone; a module whose tests need
    other settings overrides this with its own."""
    return live_server_factory(make_app())


@pytest.fixture
def browser_context_args(browser_context_args: dict, request: pytest.FixtureRequest) -> dict:
    """Pages open on the session's portal (``base_url``), or on the test's own ``server`` if
    the test takes one."""
    if "server" not in request.fixturenames:
        return browser_context_args
    return {**browser_context_args, "base_url": request.getfixturevalue("server").url}


# --------------------------------------------------------------------------- Chromium


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM) or Path(CHROMIUM).exists())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium; never `playwright install`."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    postgres = is_postgres(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
    browser_ok = chromium_available()
    if _flag("REQUIRE_BROWSER") and not browser_ok:
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
    if _flag("REQUIRE_POSTGRES") and not postgres:
        raise pytest.UsageError("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not PostgreSQL")
    skip_browser = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium; REQUIRE_BROWSER=1 fails)"
    )
    skip_postgres = pytest.mark.skip(
        reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://… (CI does)"
    )
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) and "browser" not in item.keywords:
            item.add_marker(pytest.mark.browser)
        if "browser" in item.keywords and not browser_ok:
            item.add_marker(skip_browser)
        if "postgres" in item.keywords and not postgres:
            item.add_marker(skip_postgres)


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = os.environ.get("TEST_DATABASE_URL") or "SQLite (temporary file)"
    shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
    browser = CHROMIUM if chromium_available() else "none (browser tests will be skipped)"
    return [f"portal test database: {shown}", f"portal browser: {browser}"]


# --------------------------------------------------------------------------- SMTP


class RecordingHandler:
    """aiosmtpd handler that keeps every message; ``refuse`` makes it answer with an error."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.refuse: Callable[[dict], str | None] | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": envelope.original_content or envelope.content,
        }
        if self.refuse:
            reply = self.refuse(record)
            if reply:
                return reply
        with self.lock:
            self.messages.append(record)
        return "250 Message accepted for delivery"

    def parsed(self) -> list:
        from email import message_from_bytes, policy

        with self.lock:
            return [message_from_bytes(m["data"], policy=policy.default) for m in self.messages]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, RecordingHandler]]:
    """A real SMTP server (aiosmtpd) on a free port; ``handler.messages`` holds what arrived."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_config(smtp_server) -> dict:
    """App overrides that point Flask-Mail at the test SMTP server."""
    controller, _ = smtp_server
    return {
        "MAIL_SERVER": controller.hostname,
        "MAIL_PORT": controller.port,
        "MAIL_SUPPRESS_SEND": False,
    }


# --------------------------------------------------------------------------- staff login


@pytest.fixture
def login(app: Flask) -> Callable:
    """``login(client, user=None, role="staff")``: sign in through the real /inbox/login form.

    Creates the account (password ``tests.factories.DEFAULT_PASSWORD``) when none is given.
    """
    from tests.factories import DEFAULT_PASSWORD, make_staff
    from tests.staff_forms import post

    def do_login(client, user=None, role: str = "staff", password: str = DEFAULT_PASSWORD):
        if user is None:
            user = make_staff(role=role, password=password)
        response = post(client, "/inbox/login", {"email": user.email, "password": password})
        assert response.status_code == 303, f"login failed with {response.status_code}"
        return user

    return do_login


@pytest.fixture
def staff(app, client, login):
    """A signed-in staff member (the ``client`` carries the session)."""
    return login(client, role="staff")


@pytest.fixture
def admin(app, client, login):
    """A signed-in admin (the ``client`` carries the session)."""
    return login(client, role="admin")


# --------------------------------------------------------------------------- IMAP (Dovecot)


@pytest.fixture
def dovecot():
    """A private Dovecot on a free port (``.url``, ``.deliver(raw)``, ``.count(folder)``).

    Skips without Dovecot, and fails instead where CI requires it (REQUIRE_IMAP).
    """
    from bench.dovecot import PrivateDovecot, available

    reason = available()
    if reason:
        if _flag("REQUIRE_IMAP"):
            pytest.fail(f"REQUIRE_IMAP is set but {reason}")
        pytest.skip(reason)
    with PrivateDovecot() as server:
        yield server
