"""``deliver_due`` against a real SMTP server: headers, retries, back-off, failures, leases."""

from __future__ import annotations

import base64
import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from portal.extensions import db
from portal.outbox import delivery, queries, queueing, transport
from portal.outbox.delivery import backoff_delay, deliver_due
from portal.outbox.models import OutboxMessage
from portal.outbox.queries import pending_lag_seconds
from portal.timestamps import utcnow

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_deliver_due_sends_every_header_and_both_parts_in_utf8(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    _, handler = smtp_server
    with mail_app().app_context():
        queued = queue_notice(
            "kari@example.org",
            reply_to="sesam@example.org",
            subject="Ny henvendelse – blåbærsyltetøy ÆØÅ",
            heading="Hei Åse",
            body="Vi har fått henvendelsen din om «skjærgården».",
        )
        report = deliver_due(worker_id="w1")
        [row] = outbox_rows()
    assert report == delivery.DeliveryReport(claimed=1, sent=1)
    [envelope] = handler.messages
    assert envelope["rcpt_tos"] == ["kari@example.org"]
    assert envelope["mail_from"] == "noreply@localhost"
    [message] = handler.parsed()
    assert message["To"] == "kari@example.org"
    assert message["From"] == "SESAM <noreply@localhost>"
    assert message["Reply-To"] == "sesam@example.org"
    assert message["Subject"] == "Ny henvendelse – blåbærsyltetøy ÆØÅ"
    assert message["Message-ID"] == queued.message_id
    assert message["Date"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hei Åse" in text and "«skjærgården»" in text and "Sørøst-Norge" in text
    assert "<h1>Hei Åse</h1>" in html and "«skjærgården»" in html
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    assert row.locked_by is None and row.locked_until is None and row.last_error is None


def test_deliver_due_never_sends_an_accepted_message_again(mail_app, smtp_server, queue_notice):
    _, handler = smtp_server
    with mail_app().app_context():
        queue_notice()
        assert deliver_due(worker_id="w1").sent == 1
        assert deliver_due(worker_id="w1") == delivery.DeliveryReport()
        assert deliver_due(worker_id="w2") == delivery.DeliveryReport()
    assert len(handler.messages) == 1


@pytest.mark.parametrize("reply", ["421 4.3.0 closing, try later", "451 4.3.0 try again later"])
def test_deliver_due_retries_a_temporary_refusal_and_delivers_once(
    mail_app, smtp_server, queue_notice, outbox_rows, reply
):
    _, handler = smtp_server
    tries = []

    def refuse_first(record):
        tries.append(record)
        return reply if len(tries) == 1 else None

    handler.refuse = refuse_first
    with mail_app().app_context():
        queued = queue_notice()
        assert deliver_due(worker_id="w1").retried == 1
        [row] = outbox_rows()
        assert row.status == "pending" and row.attempts == 1
        assert row.last_error.startswith(f"SMTP {reply[:3]}: ")
        assert deliver_due(worker_id="w1").sent == 1
        [row] = outbox_rows()
    assert row.status == "sent" and row.attempts == 2
    assert len(tries) == 2 and len(handler.messages) == 1
    assert handler.parsed()[0]["Message-ID"] == queued.message_id


def test_deliver_due_backs_off_exponentially(mail_app, smtp_server, queue_notice, outbox_rows):
    _, handler = smtp_server
    handler.refuse = lambda record: "451 4.3.0 try again later"
    with (
        time_machine.travel(T0, tick=False) as clock,
        mail_app(OUTBOX_BACKOFF_SECONDS=60).app_context(),
    ):
        queue_notice()
        deliver_due(worker_id="w1")
        assert outbox_rows()[0].next_attempt_at == T0 + timedelta(seconds=60)
        clock.shift(59)
        assert deliver_due(worker_id="w1").claimed == 0  # not due yet
        clock.shift(1)
        deliver_due(worker_id="w1")
        assert outbox_rows()[0].next_attempt_at == T0 + timedelta(seconds=60 + 120)
        clock.shift(120)
        deliver_due(worker_id="w1")
        [row] = outbox_rows()
    assert row.attempts == 3 and row.next_attempt_at == T0 + timedelta(seconds=180 + 240)


def test_backoff_delay_doubles_from_the_base_and_is_capped():
    assert [backoff_delay(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff_delay(10, 60) == timedelta(seconds=30720)
    assert backoff_delay(11, 60) == delivery.MAX_BACKOFF == timedelta(hours=12)
    assert backoff_delay(10_000, 60) == delivery.MAX_BACKOFF
    assert backoff_delay(3, 0) == timedelta(0)


def test_smtp_down_keeps_messages_pending_then_delivers_them(
    make_app, mail_app, smtp_server, closed_port, queue_notice, outbox_rows
):
    _, handler = smtp_server
    down = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_SUPPRESS_SEND=False)
    with time_machine.travel(T0, tick=False) as clock:
        with down.app_context():
            queued = [queue_notice(f"person{n}@example.org") for n in range(3)]
            report = deliver_due(worker_id="w1")
            assert report == delivery.DeliveryReport(claimed=3, retried=3)
            for row in outbox_rows():
                assert row.status == "pending" and row.attempts == 1
                assert row.last_error == "SMTP connection refused"
                assert row.next_attempt_at == T0 + timedelta(seconds=60)
                assert row.locked_by is None
        clock.shift(61)
        with mail_app(OUTBOX_BACKOFF_SECONDS=60).app_context():
            assert deliver_due(worker_id="w2").sent == 3
            assert {row.attempts for row in outbox_rows()} == {2}
    assert sorted(m["Message-ID"] for m in handler.parsed()) == sorted(q.message_id for q in queued)


def test_a_silent_server_times_out_as_a_temporary_failure(make_app, queue_notice, outbox_rows):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # accepts the connection but never greets
        app = make_app(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=listener.getsockname()[1],
            MAIL_SUPPRESS_SEND=False,
            MAIL_TIMEOUT=0.3,
        )
        with app.app_context():
            queue_notice()
            assert deliver_due(worker_id="w1").retried == 1
            [row] = outbox_rows()
    assert row.status == "pending" and row.last_error == "SMTP server timed out"


def test_a_550_fails_at_once_and_the_others_are_delivered(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    _, handler = smtp_server
    handler.refuse = lambda record: (
        "550 5.1.1 <bounce@example.org>: no such user"
        if "bounce@example.org" in record["rcpt_tos"]
        else None
    )
    with mail_app().app_context():
        queue_notice("first@example.org")
        queue_notice("bounce@example.org")
        queue_notice("third@example.org")
        assert deliver_due(worker_id="w1") == delivery.DeliveryReport(claimed=3, sent=2, failed=1)
        assert deliver_due(worker_id="w1").claimed == 0  # no retry
        first, bounced, third = outbox_rows()
    assert first.status == third.status == "sent"
    assert bounced.status == "failed" and bounced.attempts == 1 and bounced.sent_at is None
    assert bounced.last_error == "SMTP 550: 5.1.1 <bounce@example.org>: no such user"
    assert [m["rcpt_tos"] for m in handler.messages] == [
        ["first@example.org"],
        ["third@example.org"],
    ]


def test_deliver_due_gives_up_after_max_attempts(mail_app, smtp_server, queue_notice, outbox_rows):
    _, handler = smtp_server
    handler.refuse = lambda record: "451 4.3.0 try again later"
    with mail_app(OUTBOX_MAX_ATTEMPTS=3).app_context():
        queue_notice()
        outcomes = [deliver_due(worker_id="w1") for _ in range(4)]
        [row] = outbox_rows()
    assert [r.retried for r in outcomes] == [1, 1, 0, 0]
    assert [r.failed for r in outcomes] == [0, 0, 1, 0]
    assert row.status == "failed" and row.attempts == 3 and handler.messages == []


def test_a_broken_message_does_not_stop_the_batch(
    mail_app, smtp_server, queue_notice, outbox_rows, monkeypatch
):
    _, handler = smtp_server
    real_build = transport.build_message

    def build(mail):
        if mail.recipient == "broken@example.org":
            raise RuntimeError("template bug")
        return real_build(mail)

    monkeypatch.setattr(transport, "build_message", build)
    with mail_app().app_context():
        queue_notice("broken@example.org")
        queue_notice("fine@example.org")
        assert deliver_due(worker_id="w1") == delivery.DeliveryReport(claimed=2, sent=1, retried=1)
        broken, fine = outbox_rows()
    assert broken.last_error == "unexpected error: RuntimeError" and broken.status == "pending"
    assert fine.status == "sent" and len(handler.messages) == 1


def test_a_hostile_name_in_the_body_adds_no_header(mail_app, smtp_server, queue_notice):
    _, handler = smtp_server
    hostile = "x\r\nBcc: evil@example.org"
    with mail_app().app_context():
        queue_notice("kari@example.org", heading=hostile, body=f"Fra {hostile}")
        deliver_due(worker_id="w1")
    [envelope] = handler.messages
    assert envelope["rcpt_tos"] == ["kari@example.org"]
    [message] = handler.parsed()
    assert message["Bcc"] is None
    assert set(message.keys()) == {
        "Content-Type",
        "MIME-Version",
        "Subject",
        "From",
        "To",
        "Date",
        "Message-ID",
    }
    assert "Bcc: evil@example.org" in message.get_body(("plain",)).get_content()


def test_a_stored_row_with_a_hostile_header_is_refused_not_sent(mail_app, smtp_server, outbox_rows):
    _, handler = smtp_server
    with mail_app().app_context():
        for subject, to in (
            ("x\r\nBcc: evil@example.org", "kari@example.org"),
            ("Hei", "kari@example.org\r\nBcc: evil@example.org"),
        ):
            db.session.add(
                OutboxMessage(
                    message_id=queueing.new_message_id(),
                    kind="test",
                    recipient=to,
                    subject=subject,
                    body_text="b",
                    lang="nb",
                    status="pending",
                    attempts=0,
                    next_attempt_at=utcnow(),
                )
            )
        db.session.commit()
        assert deliver_due(worker_id="w1").failed == 2
        rows = outbox_rows()
    assert handler.messages == []
    assert [row.status for row in rows] == ["failed", "failed"]
    assert all(row.last_error.startswith("refused: ") for row in rows)


def test_an_smtp_login_failure_stores_no_credentials(
    make_app, closed_port, queue_notice, outbox_rows, caplog
):
    free_port = closed_port
    password, username = "hunter2-Sup3r-Secret", "sesam-mailer"

    def reject(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    controller = Controller(
        object(), hostname="127.0.0.1", port=free_port, authenticator=reject, auth_require_tls=False
    )
    controller.start()
    try:
        app = make_app(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=free_port,
            MAIL_SUPPRESS_SEND=False,
            MAIL_USERNAME=username,
            MAIL_PASSWORD=password,
        )
        with app.app_context():
            queue_notice()
            assert deliver_due(worker_id="w1").retried == 1
            [row] = outbox_rows()
    finally:
        controller.stop()
    assert row.status == "pending" and row.last_error == "SMTP login refused (535)"
    encoded = base64.b64encode(f"\0{username}\0{password}".encode()).decode()
    for secret in (password, username, encoded):
        assert secret not in row.last_error and secret not in caplog.text


def test_a_live_lease_is_respected(mail_app, smtp_server, queue_notice, outbox_rows):
    _, handler = smtp_server
    with mail_app().app_context():
        queue_notice()
        assert len(delivery.claim_due("w1", 10)) == 1
        db.session.commit()
        assert deliver_due(worker_id="w2").claimed == 0
        [row] = outbox_rows()
    assert row.locked_by == "w1" and row.status == "pending" and handler.messages == []


def test_an_expired_lease_is_reclaimed_and_resent_with_the_same_message_id(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    _, handler = smtp_server
    with time_machine.travel(T0, tick=False) as clock, mail_app().app_context():
        queued = queue_notice()
        [claimed] = delivery.claim_due("dead-worker", 10)
        db.session.commit()
        with transport.open_transport() as carrier:
            carrier.send(claimed)  # the server says 250 ... and the worker dies before recording it
        clock.shift(delivery.DEFAULT_LEASE_SECONDS - 1)
        assert deliver_due(worker_id="w2").claimed == 0
        clock.shift(2)
        assert deliver_due(worker_id="w2") == delivery.DeliveryReport(claimed=1, sent=1)
        [row] = outbox_rows()
    ids = [message["Message-ID"] for message in handler.parsed()]
    assert ids == [queued.message_id, queued.message_id]
    assert row.status == "sent" and row.attempts == 1


def test_a_worker_whose_lease_ran_out_skips_what_another_worker_sent(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    _, handler = smtp_server
    with time_machine.travel(T0, tick=False) as clock, mail_app().app_context():
        queue_notice()
        slow_rows = delivery.claim_due("slow", 10)
        db.session.commit()
        clock.shift(delivery.DEFAULT_LEASE_SECONDS + 1)
        assert deliver_due(worker_id="fast").sent == 1
        assert delivery._deliver_claimed(slow_rows, "slow") == ["skipped"]
        [row] = outbox_rows()
    assert len(handler.messages) == 1 and row.status == "sent" and row.attempts == 1


def test_deliver_due_refuses_an_empty_batch(app):
    with pytest.raises(ValueError):
        deliver_due(worker_id="w1", batch=0)


def test_pending_lag_seconds_is_the_age_of_the_oldest_pending(mail_app, smtp_server, queue_notice):
    with time_machine.travel(T0, tick=False) as clock, mail_app().app_context():
        assert pending_lag_seconds() is None
        queue_notice()
        clock.shift(30)
        queue_notice()
        clock.shift(60)
        assert pending_lag_seconds() == 90.0
        assert queries.pending_lag_seconds() == 90.0
        deliver_due(worker_id="w1")
        assert pending_lag_seconds() is None


def test_a_slow_batch_renews_its_leases_and_finishes(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    _, handler = smtp_server
    app = mail_app()
    competitor_claims = []

    def slow_server(record):
        clock.shift(delivery.DEFAULT_LEASE_SECONDS // 2 + 1)  # over half a lease per message
        with app.app_context():  # meanwhile another worker looks for expired leases
            competitor_claims.append(len(delivery.claim_due("w2", 10)))
            db.session.commit()
        return None

    with time_machine.travel(T0, tick=False) as clock, app.app_context():
        for n in range(3):
            queue_notice(f"person{n}@example.org")
        handler.refuse = slow_server
        report = deliver_due(worker_id="w1")
        rows = outbox_rows()
    assert report == delivery.DeliveryReport(claimed=3, sent=3)
    assert competitor_claims == [0, 0, 0]  # without renewal the third would be taken at T0+302
    assert [row.status for row in rows] == ["sent"] * 3 and len(handler.messages) == 3


def test_renewing_leases_keeps_only_the_rows_still_owned(
    mail_app, smtp_server, queue_notice, outbox_rows
):
    with time_machine.travel(T0, tick=False) as clock, mail_app().app_context():
        for n in range(3):
            queue_notice(f"person{n}@example.org")
        claimed = delivery.claim_due("w1", 10)
        db.session.commit()
        taken = db.session.get(OutboxMessage, claimed[1].id)
        taken.locked_by = "w2"  # w1's lease ran out and w2 claimed this one
        db.session.commit()
        clock.shift(100)
        owned, until = delivery._renew_leases([row.id for row in claimed], "w1")
        rows = outbox_rows()
    assert owned == {claimed[0].id, claimed[2].id}
    assert until == T0 + timedelta(seconds=100 + delivery.DEFAULT_LEASE_SECONDS)
    assert [row.locked_until for row in rows] == [until, T0 + timedelta(seconds=300), until]
