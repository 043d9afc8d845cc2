"""Reading one RFC 5322 message: who sent it, its new text, its attachments, what kind it is.

The new text is found by mail-parser-reply, taught Norwegian (nb and nn) quote headers of
Outlook, Gmail, Apple Mail and Thunderbird through its language table (its documented way to add
a language). HTML-only mail is turned into text by inscriptis and never shown as HTML. Every
charset and transfer encoding Python's email package knows is decoded; an unknown charset is
read as Latin-1 rather than refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from inscriptis import get_text
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE

Q = QUOTED_MATCH_INCLUDE
NORWEGIAN = {
    # Gmail "man. 5. des. 2026 kl. 10:00 skrev Kari <kari@example.org>:", Apple Mail
    # "5. des. 2026 kl. 10:00 skrev …:", Thunderbird "Den 05.12.2026 10:00, skrev Kari:";
    # Nynorsk clients write "skreiv".
    "wrote_header": r"^(" + Q + r"(?:Den\s|[A-Za-zæøåÆØÅ]{2,4}\.,?\s)?[0-9]{1,2}[.\s/-].+?\s"
    r"(?:skrev|skreiv)\s.+?:)$",
    # Outlook: "-----Opprinnelig melding-----" / "Fra: … Sendt: … Til: … Emne: …".
    "from_header": r"((?:(?:^|\n|\n" + Q + r")?-----(?:Opprinnelig|Opphavleg) melding-----\n)?"
    r"(?:(?:^|\n|\n" + Q + r")[* ]*(?:[Ff]ra|[Ff]rå|[Ss]endt|[Tt]il|[Ee]mne|[Dd]ato|[Kk]opi|[Cc]c)"
    r":[ *]*(?:\s{,2}).*){2,}(?:\n.*){,1})",
    "disclaimers": ["Konfidensielt:", "Taushetsbelagt:"],
    "signatures": ["Med vennlig hilsen", "Vennlig hilsen", "Med venleg helsing", "Venleg helsing"],
    "sent_from": "Sendt fra min|Send frå min|Sendt fra Outlook|Hent Outlook for",
}
MAIL_LANGUAGES.setdefault("nb", NORWEGIAN)
MAIL_LANGUAGES.setdefault("nn", NORWEGIAN)
PARSER = EmailReplyParser(languages=["nb", "nn", "da", "sv", "en"])

AUTO_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
REFERENCE = re.compile(r"\bSESAM-[0-9]{4}-[0-9]{4,6}\b", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


class Unusable(ValueError):
    """Not a mail message the portal can keep (empty, or without any header)."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Reading:
    """What the portal needs of one inbound message."""

    message_id: str
    sender: str
    sender_name: str | None
    subject: str | None
    recipients: list[str]
    thread_ids: list[str]  # In-Reply-To and References, in that order
    text: str
    automatic: bool
    report: bool  # a delivery status notification (RFC 3464)
    failed: bool  # the report says delivery failed
    diagnostic: str | None
    reported_ids: list[str]  # Message-IDs of the mail a report is about
    attachments: list[Attachment] = field(default_factory=list)


def read_message(raw: bytes) -> Reading:
    """Read ``raw``. Raises Unusable for empty input or a message without headers."""
    if not raw or not raw.strip():
        raise Unusable("empty message")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not message.keys():
        raise Unusable("no headers")
    name, sender = parseaddr(_header(message, "From") or "")
    report = message.get_content_type() == "multipart/report"
    failed, diagnostic, reported = _delivery_status(message) if report else (False, None, [])
    return Reading(
        message_id=_message_id(message, raw),
        sender=sender.strip().lower()[:254],
        sender_name=(name.strip() or None) and name.strip()[:200],
        subject=(_header(message, "Subject") or None) and _header(message, "Subject")[:300],
        recipients=_recipients(message),
        thread_ids=[
            *MESSAGE_ID.findall(_header(message, "In-Reply-To") or ""),
            *MESSAGE_ID.findall(_header(message, "References") or ""),
        ],
        text=new_text(message),
        automatic=is_automatic(message),
        report=report,
        failed=failed,
        diagnostic=diagnostic,
        reported_ids=reported,
        attachments=list(_attachments(message)),
    )


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a malformed header: read it raw
        value = message.get_all(name, failobj=[None])[0]
    return None if value is None else " ".join(str(value).split())


def _message_id(message: EmailMessage, raw: bytes) -> str:
    found = MESSAGE_ID.findall(_header(message, "Message-ID") or "")
    if found:
        return found[0]
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _recipients(message: EmailMessage) -> list[str]:
    values = []
    for name in RECIPIENT_HEADERS:
        values.extend(str(value) for value in message.get_all(name, failobj=[]))
    return [address.lower() for _, address in getaddresses(values) if "@" in address]


def is_automatic(message: EmailMessage) -> bool:
    """An auto-reply or list mail (RFC 3834 Auto-Submitted, X-Autoreply, Precedence, List-Id)."""
    auto = (_header(message, "Auto-Submitted") or "no").lower()
    precedence = (_header(message, "Precedence") or "").lower()
    return (
        auto != "no"
        or message.get("X-Autoreply") is not None
        or message.get("X-Autorespond") is not None
        or message.get("List-Id") is not None
        or precedence in AUTO_PRECEDENCE
    )


def _decoded(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown charset: keep the bytes
        payload = part.get_payload(decode=True) or b""
        return payload.decode("latin-1")
    return content if isinstance(content, str) else content.decode("latin-1")


def body_text(message: EmailMessage) -> str:
    """The message's text: its plain part, else its HTML part as text (never as HTML)."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decoded(part)
    if part.get_content_type() == "text/html":
        text = get_text(text)
    return text.replace("\r\n", "\n").strip()


def new_text(message: EmailMessage) -> str:
    """The message's new text, without the quoted history (the whole text if nothing is new)."""
    text = body_text(message)
    latest = PARSER.parse_reply(text) if text else ""
    return (latest or text).strip()


def _attachments(message: EmailMessage):
    for part in message.iter_attachments():
        if part.get_content_type() == "message/delivery-status":
            continue
        try:
            data = part.get_payload(decode=True)
        except (ValueError, TypeError):
            data = None
        if data is None:
            data = part.as_bytes() if part.is_multipart() else b""
        name = part.get_filename() or "attachment"
        yield Attachment(
            filename=name.replace("/", "_").replace("\\", "_")[:255],
            content_type=part.get_content_type()[:100],
            data=data,
        )


def _delivery_status(message: EmailMessage) -> tuple[bool, str | None, list[str]]:
    """Whether an RFC 3464 report says delivery failed, its diagnostic, the reported ids."""
    failed, diagnostic, reported = False, None, []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                action = (block.get("Action") or "").strip().lower()
                failed = failed or action == "failed"
                diagnostic = diagnostic or (block.get("Diagnostic-Code") or block.get("Status"))
        elif kind in ("text/rfc822-headers", "message/rfc822"):
            text = part.as_string()
            found = re.search(r"^Message-ID:\s*(<[^<>\s]+>)", text, re.IGNORECASE | re.MULTILINE)
            if found:
                reported.append(found.group(1))
    if diagnostic:
        diagnostic = " ".join(str(diagnostic).split())[:200]
    return failed, diagnostic, reported


def references_in(subject: str | None) -> list[str]:
    """The SESAM references in a subject line, upper-cased."""
    return [match.upper() for match in REFERENCE.findall(subject or "")]
