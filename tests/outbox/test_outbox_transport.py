"""Transports: the .eml file transport, message building and the SMTP error classification."""

from __future__ import annotations

import smtplib
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from portal.outbox import transport
from portal.outbox.delivery import deliver_due
from portal.outbox.transport import DeliveryError, FileTransport, build_message, classify


def test_file_transport_writes_one_eml_per_message(make_app, tmp_path, queue_notice, outbox_rows):
    mail_dir = tmp_path / "mail-out"
    app = make_app(MAIL_SERVER=None, MAIL_FILE_DIR=str(mail_dir), MAIL_SUPPRESS_SEND=True)
    with app.app_context():
        first = queue_notice("kari@example.org", subject="Første – æøå")
        second = queue_notice("ola@example.org")
        assert deliver_due(worker_id="w1").sent == 2
        rows = outbox_rows()
    files = sorted(mail_dir.glob("*.eml"))
    assert [path.name[:7] for path in files] == [f"{first.id:06d}-", f"{second.id:06d}-"]
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Message-ID"] == first.message_id
    assert message["To"] == "kari@example.org" and message["Subject"] == "Første – æøå"
    assert "Hei" in message.get_body(("plain",)).get_content()
    assert [row.status for row in rows] == ["sent", "sent"]
    assert not list(mail_dir.glob("*.part"))


def test_file_transport_rewrites_a_row_instead_of_adding_a_file(app, queue_notice):
    row = queue_notice()
    with FileTransport() as carrier:
        carrier.send(row)
        carrier.send(row)
        path = carrier.path_for(row)
    assert path.parent == Path(app.config["MAIL_FILE_DIR"])
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert path.name == f"{row.id:06d}-{row.message_id[1:33]}.eml"


def test_file_transport_reports_an_unwritable_folder(make_app, tmp_path, queue_notice, outbox_rows):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with make_app(MAIL_FILE_DIR=str(blocker / "mail")).app_context():
        queue_notice()
        assert deliver_due(worker_id="w1").retried == 1
        [row] = outbox_rows()
    assert row.status == "pending" and row.last_error.startswith("could not write mail file")


def test_no_mail_server_means_files(make_app):
    with make_app(MAIL_SERVER=None).app_context():
        assert isinstance(transport.open_transport(), transport.FileTransport)
    with make_app(MAIL_SERVER="127.0.0.1").app_context():
        assert isinstance(transport.open_transport(), transport.SmtpTransport)


def test_built_messages_keep_lines_short_and_letters_intact(app, queue_notice):
    row = queue_notice(body="æøå " * 2000)  # one 8000-character line
    raw = build_message(row).as_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert b"quoted-printable" in raw
    parsed = message_from_bytes(raw, policy=policy.default)
    assert ("æøå " * 2000).strip() in parsed.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("error", "permanent", "summary"),
    [
        (
            smtplib.SMTPRecipientsRefused({"a@x.no": (550, b"5.1.1 unknown")}),
            True,
            "SMTP recipient refused 550: 5.1.1 unknown",
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@x.no": (450, b"mailbox busy")}),
            False,
            "SMTP recipient refused 450: mailbox busy",
        ),
        (smtplib.SMTPDataError(421, b"closing"), False, "SMTP 421: closing"),
        (smtplib.SMTPDataError(554, b"5.7.1 spam\r\n  found"), True, "SMTP 554: 5.7.1 spam found"),
        (smtplib.SMTPSenderRefused(553, b"bad sender", "x@y.no"), True, "SMTP 553: bad sender"),
        (smtplib.SMTPServerDisconnected("gone"), False, "SMTP server closed the connection"),
        (ConnectionRefusedError(111, "Connection refused"), False, "SMTP connection refused"),
        (TimeoutError("timed out"), False, "SMTP server timed out"),
        (OSError(101, "No route"), False, "SMTP connection failed: No route"),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False, "SMTP error: SMTPNotSupportedError"),
    ],
)
def test_classify_sorts_failures_into_temporary_and_permanent(app, error, permanent, summary):
    result = classify(error, connecting=False)
    assert (result.permanent, result.summary, result.unreachable) == (permanent, summary, False)


def test_classify_never_fails_a_message_for_a_server_that_refuses_us(app):
    greeting = classify(smtplib.SMTPConnectError(554, b"go away"), connecting=True)
    assert greeting.unreachable and not greeting.permanent


def test_classify_blanks_out_credentials(make_app):
    with make_app(MAIL_USERNAME="mailer", MAIL_PASSWORD="s3cret-pw").app_context():
        login = classify(
            smtplib.SMTPAuthenticationError(535, b"mailer s3cret-pw rejected"), connecting=True
        )
        echo = classify(smtplib.SMTPDataError(451, b"user mailer pw s3cret-pw"), connecting=False)
    assert login.summary == "SMTP login refused (535)" and login.unreachable
    assert echo.summary == "SMTP 451: user *** pw ***"


def test_delivery_error_summaries_are_short():
    assert len(DeliveryError("x" * 1000).summary) == transport.SUMMARY_LENGTH
