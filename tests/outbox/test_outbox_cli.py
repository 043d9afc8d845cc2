"""``flask outbox run | send-once | status``, in-process and as real worker processes."""

from __future__ import annotations

import logging
import signal
import threading

import time_machine
from sqlalchemy.exc import OperationalError

from portal.outbox import cli, delivery
from portal.timestamps import utcnow
from tests.processes import wait_until


def test_send_once_delivers_everything_due_and_prints_counts(mail_app, smtp_server, queue_notice):
    _, handler = smtp_server
    app = mail_app()
    with app.app_context():
        for n in range(5):
            queue_notice(f"person{n}@example.org")
    result = app.test_cli_runner().invoke(args=["outbox", "send-once", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "claimed=5 sent=5 retried=0 failed=0 skipped=0"
    assert len(handler.messages) == 5


def test_send_once_makes_one_pass_even_when_messages_stay_due(mail_app, smtp_server, queue_notice):
    _, handler = smtp_server
    handler.refuse = lambda record: "451 4.3.0 try again later"
    app = mail_app(OUTBOX_BACKOFF_SECONDS=0)  # a failed message is due again at once
    with app.app_context():
        queue_notice()
        queue_notice()
    result = app.test_cli_runner().invoke(args=["outbox", "send-once"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "claimed=2 sent=0 retried=2 failed=0 skipped=0"


def test_run_exits_when_idle_after_delivering_everything(mail_app, smtp_server, queue_notice):
    _, handler = smtp_server
    app = mail_app()
    with app.app_context():
        for n in range(5):
            queue_notice(f"person{n}@example.org")
    args = ["outbox", "run", "--exit-when-idle", "--batch", "2", "--interval", "0.01"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "stopped after 4 batches" in result.output  # 2 + 2 + 1, then an empty claim
    assert len(handler.messages) == 5


def test_run_stops_after_max_batches(mail_app, smtp_server, queue_notice, outbox_rows):
    _, handler = smtp_server
    app = mail_app()
    with app.app_context():
        for n in range(5):
            queue_notice(f"person{n}@example.org")
    args = ["outbox", "run", "--max-batches", "1", "--batch", "2", "--worker-id", "cli-test"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "outbox worker cli-test started" in result.output
    assert len(handler.messages) == 2
    with app.app_context():
        assert [row.status for row in outbox_rows()] == ["sent"] * 2 + ["pending"] * 3


def test_run_logs_one_line_per_batch_without_addresses(mail_app, smtp_server, queue_notice, caplog):
    app = mail_app()
    with app.app_context():
        for n in range(3):
            queue_notice(f"person{n}@example.org", body="Hemmelig innhold")
    caplog.set_level(logging.INFO, logger="portal.outbox")
    args = ["outbox", "run", "--exit-when-idle", "--batch", "2", "--interval", "0.01"]
    app.test_cli_runner().invoke(args=args)
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.outbox"]
    assert lines == [
        "outbox batch: claimed=2 sent=2 retried=0 failed=0 skipped=0",
        "outbox batch: claimed=1 sent=1 retried=0 failed=0 skipped=0",
    ]
    assert "example.org" not in caplog.text and "Hemmelig" not in caplog.text


def test_work_loop_survives_a_database_outage(mail_app, smtp_server, queue_notice, monkeypatch):
    _, handler = smtp_server
    real = delivery.deliver_due
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(**kwargs)

    monkeypatch.setattr(delivery, "deliver_due", flaky)
    with mail_app().app_context():
        queue_notice()
        batches = cli.work(
            threading.Event(), worker_id="w", interval=0.01, batch=5, exit_when_idle=True
        )
    assert batches == 3 and len(handler.messages) == 1


def test_work_loop_stops_when_asked(app):
    stop = threading.Event()
    stop.set()
    assert cli.work(stop, worker_id="w", interval=5, batch=5) == 0


def test_stop_on_signals_turns_sigterm_into_a_clean_stop():
    stop = threading.Event()
    before = signal.getsignal(signal.SIGTERM)
    with cli.stop_on_signals(stop):
        signal.raise_signal(signal.SIGTERM)
        assert stop.is_set()
    assert signal.getsignal(signal.SIGTERM) is before


def test_status_prints_counts_per_status(mail_app, smtp_server, queue_notice):
    _, handler = smtp_server
    handler.refuse = lambda record: "550 no" if "bounce@example.org" in record["rcpt_tos"] else None
    app = mail_app()
    with time_machine.travel(utcnow(), tick=False) as clock:
        with app.app_context():
            queue_notice("ok@example.org")
            queue_notice("bounce@example.org")
            delivery.deliver_due(worker_id="w")
            queue_notice("later@example.org")
        clock.shift(42)
        result = app.test_cli_runner().invoke(args=["outbox", "status"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "pending: 1",
        "sent: 1",
        "failed: 1",
        "oldest pending: 42 s",
        "due now: 1",
    ]


def test_worker_process_stops_cleanly_on_sigterm(worker_process):
    process = worker_process("run", "--interval", "0.1")
    assert "started" in process.stderr.readline()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "stopped after" in stderr


def test_the_background_worker_delivers_the_outbox_and_stops_on_sigterm(
    mail_app, smtp_server, queue_notice, outbox_rows, worker_process
):
    _, handler = smtp_server
    app = mail_app()
    with app.app_context():
        for n in range(3):
            queue_notice(f"person{n}@example.org")
    process = worker_process(command="worker")
    started = process.stderr.readline()
    assert "started" in started and "outbox-delivery" in started
    try:
        assert wait_until(lambda: len(handler.messages) == 3, timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert "stopped after" in stderr
    with app.app_context():
        assert [row.status for row in outbox_rows()] == ["sent"] * 3


def test_a_killed_worker_resends_its_message_once_with_the_same_message_id(
    mail_app, smtp_server, queue_notice, outbox_rows, worker_process
):
    """The at-least-once window: killed between the server's acceptance and the commit."""
    _, handler = smtp_server
    arrived, release = threading.Event(), threading.Event()

    def hold_the_reply(record):
        if not arrived.is_set():
            arrived.set()
            release.wait(timeout=60)  # the server has the message; the worker waits for "250"
        return None

    handler.refuse = hold_the_reply
    app = mail_app()
    with app.app_context():
        queued = queue_notice()
    process = worker_process("run", "--interval", "0.1")
    try:
        assert arrived.wait(timeout=60)
        process.kill()
        process.wait(timeout=30)
    finally:
        release.set()
    with time_machine.travel(utcnow(), tick=False) as clock, app.app_context():
        [row] = outbox_rows()
        assert row.status == "pending" and row.locked_by  # still leased to the dead worker
        assert delivery.deliver_due(worker_id="survivor").claimed == 0
        clock.shift(delivery.DEFAULT_LEASE_SECONDS + 1)
        assert delivery.deliver_due(worker_id="survivor").sent == 1
        [row] = outbox_rows()
    assert [m["Message-ID"] for m in handler.parsed()] == [queued.message_id] * 2
    assert row.status == "sent" and row.attempts == 1
