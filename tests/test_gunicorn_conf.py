"""The production gunicorn settings load, and say what the deployment notes promise."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.database import RequestTimedOut

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def conf(monkeypatch):
    def load(**env):
        for name in ("WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        import portal.gunicorn_conf as module

        return importlib.reload(module)

    return load


def test_gunicorn_conf_binds_locally_and_keeps_no_access_log(conf):
    settings = conf()
    assert settings.bind == ["127.0.0.1:8000"]
    assert settings.accesslog is None
    assert settings.forwarded_allow_ips == "127.0.0.1"
    assert settings.worker_class == "sync"  # gunicorn's timeout is then one per request
    assert settings.workers == 2 * (os.cpu_count() or 1) + 1
    assert settings.timeout == 30


def test_gunicorn_conf_takes_workers_from_web_concurrency(conf):
    assert conf(WEB_CONCURRENCY="3").workers == 3


def test_gunicorn_conf_refuses_a_worker_count_that_is_not_a_number(conf):
    with pytest.raises(ValueError):
        conf(WEB_CONCURRENCY="many")


def test_gunicorn_accepts_the_conf_and_loads_the_app(tmp_path):
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "SECRET_KEY": "a-production-grade-secret-key-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("GUNICORN_CMD_ARGS", None)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--check-config",
            "-c",
            "python:portal.gunicorn_conf",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_gunicorn_conf_ends_a_timed_out_request_with_an_error_the_portal_handles(conf):
    worker = SimpleNamespace(cfg=SimpleNamespace(timeout=30))
    with pytest.raises(RequestTimedOut):
        conf().worker_abort(worker)
