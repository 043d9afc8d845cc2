"""Queueing mail: ``enqueue`` renders a message and adds it to the outbox with its cause.

``enqueue`` only adds and flushes: the caller commits the message together with the change that
caused it, so a message exists exactly when its cause does, and says what was true then. The
worker only delivers what is stored (``delivery``), so every attempt sends the same text.

A message that cannot be made (a template that fails to render, a header value with a line
break, an address the outbox cannot send to) never costs its cause: the message is stored as
``failed`` with the reason, where staff see it, and the caller's change goes on.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.outbox.addresses import thread_headers
from portal.outbox.messages import (
    FORBIDDEN_CATEGORIES,
    TEMPLATE_NAME,
    checked_header,
    render_message,
)
from portal.outbox.models import OutboxMessage
from portal.timestamps import utcnow
from portal.web.i18n import LANGS

log = logging.getLogger(__name__)
SUBJECT_LENGTH = 300
ADDRESS_LENGTH = 254
ERROR_LENGTH = 500

Context = Mapping | Callable[[], Mapping]


def enqueue(
    *,
    kind: str,
    to: str,
    template: str,
    lang: str,
    context: Context,
    enquiry_id: int | None = None,
    reply_to: str | None = None,
    thread: Sequence[str] = (),
) -> OutboxMessage:
    """Render ``email/<template>.<lang>.*`` now and add it to the outbox (add and flush only).

    ``context`` is the template's values, or a function that makes them: it is called in the
    message's language (so translated labels come out in it), and an error in it fails the
    message as a template error does. The message is ``pending``, or ``failed`` with the reason
    when it cannot be made (see the module's docstring). ``thread`` is the Message-IDs it
    answers, oldest first (the receipt's, then the enquirer's latest mail). Raises ValueError
    for a kind of more than 30 characters, an unknown language or a malformed template name
    (the caller's own constants); database errors propagate.
    """
    if not kind or len(kind) > 30:
        raise ValueError("kind must be 1 to 30 characters")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if not TEMPLATE_NAME.fullmatch(template):
        raise ValueError(f"malformed email template name {template!r}")
    now = utcnow()
    message = OutboxMessage(
        message_id=new_message_id(),
        kind=kind,
        enquiry_id=enquiry_id,
        template=template,
        lang=lang,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    message.in_reply_to, message.thread_references = thread_headers(list(thread))
    write(message, to=to, reply_to=reply_to, context=context)
    db.session.add(message)
    db.session.flush()
    return message


def write(message: OutboxMessage, *, to: str, reply_to: str | None, context: Context) -> None:
    """Check the addresses and render ``message``'s template into it, in its language; or, when
    it cannot be made, mark it failed with the reason. Database errors propagate."""
    try:
        message.recipient = _address(to, "To")
        message.reply_to = _address(reply_to, "Reply-To") if reply_to else None
        with force_locale(message.lang):
            values = context() if callable(context) else context
        subject, message.body_text, message.body_html = render_message(
            message.template, message.lang, **values
        )
        message.subject = _shortened(subject, SUBJECT_LENGTH)
        message.status = "pending"
    except SQLAlchemyError:
        raise
    except Exception as error:  # this message cannot be made; its cause is kept all the same
        _fail(message, to, reply_to, error)


def _fail(message: OutboxMessage, to: str, reply_to: str | None, error: Exception) -> None:
    message.recipient = _printable((to or "").strip(), ADDRESS_LENGTH)
    message.reply_to = _printable(reply_to.strip(), ADDRESS_LENGTH) if reply_to else None
    message.subject = message.body_text = message.body_html = None
    message.status = "failed"
    reason = f"could not be written: {type(error).__name__}: {error}"
    message.last_error = _printable(reason, ERROR_LENGTH)
    log.error("a %s message could not be written: %s", message.kind, type(error).__name__)


def _printable(text: str, length: int) -> str:
    """``text`` as staff see it on a failed message (it is never sent): control characters,
    which no column may hold everywhere (PostgreSQL refuses NUL), shown as U+FFFD."""
    shown = "".join(
        "\ufffd" if unicodedata.category(char) in FORBIDDEN_CATEGORIES else char for char in text
    )
    return _shortened(shown, length)


def _shortened(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def new_message_id() -> str:
    """A unique Message-ID on the host of PUBLIC_BASE_URL: ``<hex@host>``."""
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host.encode('idna').decode('ascii')}>"


def _address(value: str, field: str) -> str:
    """``value`` as one plain address; ValueError for a line break, a list, a display name, an
    address that needs SMTPUTF8, or one over 254 characters."""
    checked_header(value, field)
    try:
        checked = validate_email(value.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValueError(f"{field} is not one plain email address: {error}") from None
    if len(checked.normalized) > ADDRESS_LENGTH:
        raise ValueError(f"{field} is longer than {ADDRESS_LENGTH} characters")
    return checked.normalized
