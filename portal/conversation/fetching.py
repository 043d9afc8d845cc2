"""``mail fetch``: read the mailbox at IMAP_URL, keep each message once, move it to Processed.

Each message is ingested and committed before it is moved, so a crash in between only means it
is read again next time, and ``ingest`` turns the second copy away by its Message-ID. Two
fetchers reading at once may both read a message: the unique Message-ID keeps it once in the
portal, and both move it, so Processed may then hold a second copy (never fewer than one: a
message is never deleted from the mailbox).
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy.exc import SQLAlchemyError

from portal.conversation.services import ingest

log = logging.getLogger(__name__)
PROCESSED = "Processed"
UNUSABLE = "Unusable"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
FETCH_BATCH = 100
TIMEOUT_SECONDS = 30


class MailboxError(RuntimeError):
    """IMAP_URL is malformed, or the mailbox could not be reached or read."""


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str


def parse_imap_url(url: str) -> Mailbox:
    """``imaps://user:password@host[:port]/FOLDER``; ``imap://`` only for a loopback host.

    Raises MailboxError for anything else.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise MailboxError("IMAP_URL must look like imaps://user:password@host/INBOX")
    if parts.scheme == "imap" and parts.hostname not in LOOPBACK:
        raise MailboxError("IMAP_URL: plain imap:// is accepted only for a loopback host")
    tls = parts.scheme == "imaps"
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        tls=tls,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


@dataclass
class FetchReport:
    read: int = 0
    kept: int = 0
    duplicates: int = 0
    unusable: int = 0

    def __str__(self) -> str:
        return (
            f"read={self.read} kept={self.kept} duplicates={self.duplicates} "
            f"unusable={self.unusable}"
        )


def fetch(url: str, limit: int | None = None) -> FetchReport:
    """Ingest what waits in the mailbox (at most ``limit`` messages). Raises MailboxError;
    database errors propagate (the unmoved messages are read again next time)."""
    box = parse_imap_url(url)
    report = FetchReport()
    try:
        context = ssl.create_default_context() if box.tls else None
        with IMAPClient(
            box.host, port=box.port, ssl=box.tls, ssl_context=context, timeout=TIMEOUT_SECONDS
        ) as client:
            client.login(box.user, box.password)
            for folder in (PROCESSED, UNUSABLE):
                _ensure_folder(client, folder)
            client.select_folder(box.folder)
            uids = client.search(["NOT", "DELETED"])[:limit]
            for start in range(0, len(uids), FETCH_BATCH):
                chunk = uids[start : start + FETCH_BATCH]
                for uid, data in client.fetch(chunk, ["BODY.PEEK[]"]).items():
                    _handle(client, uid, data.get(b"BODY[]") or b"", report)
            client.expunge()
    except (IMAPClientError, OSError) as error:
        raise MailboxError(f"mailbox {box.host}: {type(error).__name__}: {error}") from None
    return report


def _ensure_folder(client: IMAPClient, folder: str) -> None:
    if client.folder_exists(folder):
        return
    try:
        client.create_folder(folder)
    except IMAPClientError:  # another fetcher made it a moment ago
        if not client.folder_exists(folder):
            raise


def _handle(client: IMAPClient, uid: int, raw: bytes, report: FetchReport) -> None:
    report.read += 1
    try:
        outcome = ingest(raw)
    except SQLAlchemyError:
        raise  # the database is away: the message stays and is read again next time
    except Exception as error:  # Unusable, or a message the portal cannot read: set aside
        log.warning("mail fetch: message %s set aside (%s)", uid, type(error).__name__)
        report.unusable += 1
        _move(client, uid, UNUSABLE)
        return
    if outcome.state == "duplicate":
        report.duplicates += 1
    else:
        report.kept += 1
    _move(client, uid, PROCESSED)


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    try:
        if client.has_capability("MOVE"):
            client.move([uid], folder)
        else:
            client.copy([uid], folder)
            client.delete_messages([uid])
    except IMAPClientError as error:  # another fetcher moved it first
        log.info("mail fetch: message %s not moved (%s)", uid, error)
