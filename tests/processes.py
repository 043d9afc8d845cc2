"""Real processes for the scale and fault tests: portal instances under gunicorn, outbox workers,
and visitors that fetch the form, wait as people do, and post it over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench.servers import Gunicorn
from bench.submit import body_for, hidden_fields

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "scale-and-fault-tests-shared-secret-0123456789abcdef"  # one key for every instance
PUBLIC_BASE_URL = "http://127.0.0.1"  # the public address every instance serves, as behind a proxy
FORM_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Origin": PUBLIC_BASE_URL,
    "Sec-Fetch-Site": "same-origin",
}


def portal_env(database_url: str, smtp_port: int, **overrides: str) -> dict[str, str]:
    """What every instance and outbox worker of one deployment shares (production mode)."""
    env = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "RECEIPT_RATE_LIMIT": "1000000 per day",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_TIMEOUT": "30",
        "STAFF_NOTIFY_EMAIL": "staff@example.org",
        "CONTACT_EMAIL": "sesam@example.org",
        "RATELIMIT_STORAGE_URI": "memory://",
        "OUTBOX_BACKOFF_SECONDS": "1",
        "OUTBOX_MAX_ATTEMPTS": "6",
        "FORM_MIN_FILL_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        "FLASK_DEBUG": "0",
    }
    env.update(overrides)
    return env


def start_instance(name: str, env: dict[str, str], log_dir: Path, workers: int = 2) -> Gunicorn:
    """One portal instance with the production gunicorn settings, on its own port."""
    settings = ["-c", "python:portal.gunicorn_conf", "--workers", str(workers)]
    return Gunicorn(name, "wsgi:app", env, log_dir, settings=settings).start("/healthz")


class OutboxWorker:
    """``flask --app wsgi outbox run`` as a process of its own; ``kill()`` is kill -9."""

    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.log_path = log_path
        self.log = log_path.open("w")
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "run", *args]
        full_env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
        full_env.update(env)
        full_env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def http(url: str, body: str | None = None, headers: dict | None = None) -> tuple[int, str]:
    """(status, text) of one GET or POST, redirects not followed."""
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def fetch_form(url: str) -> dict[str, str]:
    """The form's hidden fields (its fresh token) as a visitor's browser receives them."""
    status, html = http(url)
    if status != 200:
        raise AssertionError(f"GET {url} answered {status}")
    return hidden_fields(html)[1]


def post_form(url: str, hidden: dict[str, str], number: int, **answers: str) -> tuple[int, str]:
    """Post a complete, valid enquiry (visitor ``number``) with the form's hidden fields."""
    return http(url, body_for(hidden, number, **answers), FORM_HEADERS)


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.2) -> bool:
    """Poll ``check`` until it holds or ``timeout`` seconds pass; returns its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()
