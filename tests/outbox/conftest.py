"""Outbox test builders: apps pointed at the SMTP fixture, queued notices, worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.outbox.queueing import enqueue

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mail_app(make_app, smtp_config) -> Callable[..., Flask]:
    """``mail_app(**overrides)``: the portal sending to the SMTP fixture, without back-off."""

    def factory(**overrides) -> Flask:
        return make_app(**{**smtp_config, "OUTBOX_BACKOFF_SECONDS": 0, **overrides})

    return factory


@pytest.fixture
def queue_notice() -> Callable[..., OutboxMessage]:
    """``queue_notice(to, **context)``: enqueue a notice and commit it (in an app context)."""

    def build(to: str = "kari@example.org", *, lang: str = "nb", reply_to=None, **context):
        values = {"subject": "Ny henvendelse", "heading": "Hei", "body": "Noe å lese."}
        values.update(context)
        message = enqueue(
            kind="test", to=to, template="notice", lang=lang, context=values, reply_to=reply_to
        )
        db.session.commit()
        db.session.refresh(message)  # loaded, so still readable after the app context ends
        return message

    return build


def rows() -> list[OutboxMessage]:
    """Every outbox row, freshly read, by id."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def outbox_rows() -> Callable[[], list[OutboxMessage]]:
    return rows


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on (SMTP down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def worker_process(
    database_url, smtp_server, tmp_path
) -> Iterator[Callable[..., subprocess.Popen]]:
    """``worker_process("run", ...)``: ``flask --app wsgi outbox run ...`` as a real process
    (``command="worker"``: ``flask --app wsgi worker ...``)."""
    controller, _ = smtp_server
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MAIL_SERVER": controller.hostname,
        "MAIL_PORT": str(controller.port),
        "SECRET_KEY": "worker-process-secret-key-0123456789abcdef",
        "OUTBOX_BACKOFF_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("FLASK_DEBUG", None)
    processes: list[subprocess.Popen] = []

    def start(*args: str, command: str = "outbox") -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", command, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)
