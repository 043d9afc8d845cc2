"""Mail transports (the provider seam): SMTP through Flask-Mail, or ``.eml`` files without a server.

``open_transport()`` picks ``PROVIDERS["smtp"]`` when ``MAIL_SERVER`` is set, else
``PROVIDERS["file"]`` (written to ``MAIL_FILE_DIR``, whatever ``MAIL_SUPPRESS_SEND`` says). A
transport is opened once per batch and sends one stored message at a time; the SMTP transport
keeps one connection for the batch and reconnects after any failure.

Every failure comes out as ``DeliveryError``: ``permanent`` for a 5xx reply to this message
(never retried), temporary otherwise (4xx, refused or dropped connection, timeout); and
``unreachable`` when the server as a whole could not be used (connect, TLS, login), so the rest
of the batch backs off without trying. Summaries are short, hold no stack trace and never the
SMTP credentials.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import time
from contextlib import suppress
from email.charset import QP, Charset
from email.mime.text import MIMEText
from pathlib import Path
from typing import Protocol

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from portal.outbox.addresses import bounce_address
from portal.outbox.messages import checked_header

SMTP_TIMEOUT_SECONDS = 30  # Flask-Mail sets none: a silent server would hang the worker forever
SUMMARY_LENGTH = 200


class StoredMail(Protocol):
    """What a transport needs of an outbox row (an ``OutboxMessage`` or a claimed row)."""

    id: int
    message_id: str
    recipient: str
    reply_to: str | None
    subject: str
    body_text: str
    body_html: str | None
    in_reply_to: str | None
    thread_references: str | None


class DeliveryError(Exception):
    """A message was not delivered; ``summary`` is safe to store and show."""

    def __init__(
        self, summary: str, *, permanent: bool = False, unreachable: bool = False, code=None
    ) -> None:
        super().__init__(summary)
        self.summary = summary[:SUMMARY_LENGTH]
        self.permanent = permanent
        self.unreachable = unreachable
        self.code: int | None = code


class _Utf8Message(Message):
    """Flask-Mail's message with quoted-printable parts (8bit may break the 998-octet limit)."""

    def _mimetext(self, text: str | None, subtype: str = "plain") -> MIMEText:
        charset = Charset("utf-8")
        charset.body_encoding = QP
        return MIMEText(text or "", _subtype=subtype, _charset=charset)


def build_message(mail: StoredMail) -> Message:
    """The Flask-Mail message for a stored row, with its own Message-ID.

    Raises DeliveryError (permanent) if a header value holds a line break or control character.
    """
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    try:
        for field, value in (
            ("To", mail.recipient),
            ("Reply-To", mail.reply_to or ""),
            ("Subject", mail.subject),
            ("From", sender),
            ("Message-ID", mail.message_id),
            ("In-Reply-To", mail.in_reply_to or ""),
            ("References", mail.thread_references or ""),
        ):
            checked_header(value, field)
    except ValueError as error:
        raise DeliveryError(f"refused: {error}", permanent=True) from None
    message = _Utf8Message(
        subject=mail.subject,
        recipients=[mail.recipient],
        body=mail.body_text,
        html=mail.body_html,
        sender=sender,
        reply_to=mail.reply_to,
        date=time.time(),
        charset="utf-8",
    )
    message.msgId = mail.message_id
    if mail.in_reply_to:
        message.extra_headers = {
            "In-Reply-To": mail.in_reply_to,
            "References": mail.thread_references or mail.in_reply_to,
        }
    return message


class _TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout, verified TLS and no debug echo of AUTH."""

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        timeout = current_app.config.get("MAIL_TIMEOUT", SMTP_TIMEOUT_SECONDS)
        # smtplib's own default context does not verify the server's certificate
        context = ssl.create_default_context() if state.use_ssl or state.use_tls else None
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout, context=context)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        try:
            if state.use_tls:
                host.starttls(context=context)
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host


class SmtpTransport:
    """One SMTP connection per batch (opened on first use), reconnecting after a failure."""

    def __init__(self) -> None:
        self._connection: Connection | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    def send(self, mail: StoredMail) -> None:
        """Hand ``mail`` to the SMTP server. Raises DeliveryError."""
        message = build_message(mail)
        connection = self._connect()
        try:
            # The per-message bounce address (when INBOUND_ADDRESS is set): reports come back.
            connection.send(message, envelope_from=bounce_address(mail.id))
        except (smtplib.SMTPException, OSError) as error:
            self._close()
            raise classify(error, connecting=False) from None
        except BadHeaderError:
            raise DeliveryError("refused: bad header", permanent=True) from None

    def _connect(self) -> Connection:
        if self._connection is None:
            connection = _TimedConnection(current_app.extensions["mail"])
            try:
                connection.__enter__()
            except (smtplib.SMTPException, OSError) as error:
                raise classify(error, connecting=True) from None
            self._connection = connection
        return self._connection

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None or connection.host is None:
            return
        try:
            connection.host.quit()
        except (smtplib.SMTPException, OSError):
            connection.host.close()


class FileTransport:
    """Writes each message to ``MAIL_FILE_DIR/<row id>-<message id>.eml`` (rewrites, never adds)."""

    def __init__(self) -> None:
        self.directory = Path(current_app.config["MAIL_FILE_DIR"])

    def __enter__(self) -> FileTransport:
        return self

    def __exit__(self, *exc_info) -> None:
        return None

    def path_for(self, mail: StoredMail) -> Path:
        token = re.sub(r"[^A-Za-z0-9]", "", mail.message_id.partition("@")[0])[:40]
        return self.directory / f"{mail.id:06d}-{token}.eml"

    def send(self, mail: StoredMail) -> None:
        """Write ``mail`` as an .eml file. Raises DeliveryError."""
        data = build_message(mail).as_bytes()
        path = self.path_for(mail)
        partial = path.with_suffix(f".{os.getpid()}.part")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
            os.replace(partial, path)
        except OSError as error:
            with suppress(OSError):
                partial.unlink(missing_ok=True)
            raise DeliveryError(f"could not write mail file: {error.strerror}") from None


PROVIDERS = {"smtp": SmtpTransport, "file": FileTransport}


def open_transport() -> SmtpTransport | FileTransport:
    """The transport the configuration asks for: SMTP if MAIL_SERVER is set, else files."""
    return PROVIDERS["smtp" if current_app.config.get("MAIL_SERVER") else "file"]()


def classify(error: BaseException, *, connecting: bool) -> DeliveryError:
    """A short, credential-free DeliveryError for an smtplib or socket failure."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"SMTP login refused ({error.smtp_code})", unreachable=True, code=error.smtp_code
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (None, b""))
        return _reply_error("SMTP recipient refused", code, reply, connecting)
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_error("SMTP", error.smtp_code, error.smtp_error, connecting)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        # smtplib turns a read timeout into "Connection unexpectedly closed: timed out"
        timed_out = isinstance(error.__context__, TimeoutError)
        summary = "SMTP server timed out" if timed_out else "SMTP server closed the connection"
    elif isinstance(error, smtplib.SMTPException):  # before OSError: it is one
        summary = f"SMTP error: {type(error).__name__}"
    elif isinstance(error, TimeoutError):
        summary = "SMTP server timed out"
    elif isinstance(error, ConnectionRefusedError):
        summary = "SMTP connection refused"
    elif isinstance(error, OSError):
        summary = f"SMTP connection failed: {error.strerror or type(error).__name__}"
    else:
        summary = f"SMTP error: {type(error).__name__}"
    return DeliveryError(summary, unreachable=connecting)


def _reply_error(label: str, code, reply, connecting: bool) -> DeliveryError:
    code = code if isinstance(code, int) else None
    permanent = code is not None and 500 <= code < 600 and not connecting
    summary = f"{label} {code}: {_scrub(reply)}" if code else f"{label}: {_scrub(reply)}"
    return DeliveryError(summary, permanent=permanent, unreachable=connecting, code=code)


def _scrub(reply) -> str:
    """A server reply as one short line, with the SMTP credentials blanked out."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = " ".join(text.split())
    for secret in (
        current_app.config.get("MAIL_PASSWORD"),
        current_app.config.get("MAIL_USERNAME"),
    ):
        if secret:
            text = text.replace(secret, "***")
    return text[:SUMMARY_LENGTH]
