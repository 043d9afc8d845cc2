"""The staff inbox under load: databases seeded by ``seed-demo`` at 10,000 and 100,000 enquiries,
a staff member logged in, and the session cookie handed to wrk.

Seeded databases are kept between runs (``<out>/data/inbox_<n>.sqlite3`` and
``bench_inbox_<n>`` on PostgreSQL) and reused when they still hold exactly ``n``
enquiries; they are migrated to the latest schema on every run.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import databases
from bench.client import NoRedirects
from bench.submit import hidden_fields
from bench.wrk import BROWSER_HEADERS

STAFF_EMAIL = "bench@example.org"
STAFF_PASSWORD = "bench-only-password-7c1e"  # the benchmark database's own user
SEED = 6  # seed-demo's random seed: the same data on every machine


def _scalar(url: str, sql: str, **params) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    except Exception:
        return None
    finally:
        engine.dispose()


def prepare(
    kind: str, size: int, data_dir: Path, secret_key: str, cache_url: str
) -> tuple[dict, bool]:
    """The database with ``size`` demo enquiries and the benchmark's staff user.

    Returns (the portal's environment, whether it was seeded now).
    """
    url = databases.database_url(kind, f"inbox_{size}", data_dir)
    env = databases.portal_env(url, secret_key, cache_url)
    seeded = False
    if not databases.exists(url) or _scalar(url, "SELECT count(*) FROM enquiry") != size:
        databases.recreate(url)
        databases.migrate(env)
        databases.flask(["seed-demo", "--count", str(size), "--seed", str(SEED)], env)
        seeded = True
    databases.migrate(env)
    databases.settle(url)
    known = _scalar(url, "SELECT count(*) FROM staff_user WHERE email = :e", e=STAFF_EMAIL)
    if not known:
        create = ["users", "create", "--email", STAFF_EMAIL, "--name", "Benchmark"]
        databases.flask([*create, "--role", "admin", "--password-stdin"], env, STAFF_PASSWORD)
    return env, seeded


def login(base_url: str) -> str:
    """Log the benchmark's staff user in like a browser; returns the ``Cookie`` header value.

    Raises RuntimeError when the login form does not let it in.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirects)
    headers = {**BROWSER_HEADERS, "Accept-Encoding": "identity"}
    with opener.open(urllib.request.Request(base_url + "/inbox/login", headers=headers)) as page:
        _action, hidden = hidden_fields(page.read().decode("utf-8"))
    body = urllib.parse.urlencode({**hidden, "email": STAFF_EMAIL, "password": STAFF_PASSWORD})
    request = urllib.request.Request(
        base_url + "/inbox/login",
        data=body.encode(),
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with opener.open(request) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status not in (302, 303):
        raise RuntimeError(f"login answered {status}, not a redirect into the inbox")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
