"""Outbox writes: ``enqueue`` an email with its cause, and ``deliver_due`` it later.

``enqueue`` only adds and flushes: the caller commits the email together with the change that
caused it, so a message exists exactly when its cause does.

Written now or written later
----------------------------
Most messages are rendered when they are enqueued (``message_values``). A busy public path (a
new enquiry's receipt and staff notice) enqueues with ``later_values`` instead: the recipient
is checked and the Message-ID fixed, but the subject and body are written by the worker
(``compose_waiting``) from the message's cause, by the writer its feature registered for the
kind (``register_writer``). The visitor's request then does no rendering, and a template error
can never cost an enquiry: the enquiry is stored, and the message is marked failed with the
reason, where staff see it. The worker writes before it delivers, and stores what it wrote, so
every attempt sends the same text.

Delivery guarantee
------------------
``deliver_due`` claims due rows with a lease: one UPDATE sets ``locked_until``/``locked_by`` on at
most ``batch`` pending rows whose time has come and whose lease is free or expired, and returns
them. On PostgreSQL the inner SELECT is ``FOR UPDATE SKIP LOCKED``, so concurrent workers take
disjoint rows without waiting for each other; SQLite has one writer at a time, so the single
UPDATE statement is atomic there (the dialect drops the locking clause). The claim is committed
before anything is sent.

For each claimed row the worker hands the message to the transport and at once commits the
outcome: ``sent`` with ``sent_at``, a back-off, or ``failed``. Once half the lease has run out (a
slow server), the worker renews the leases of the rows left and skips any no longer its own.

A message the SMTP server accepted is therefore never sent again, with one exception: if the
worker dies (or the database fails) between the server's 250 reply and that commit, the lease
runs out and another worker sends the message again. That duplicate carries the same Message-ID,
fixed at enqueue time, so mail clients recognise it as the same message.

Retry policy: a 4xx reply, a refused, dropped or timed-out connection counts an attempt and waits
``OUTBOX_BACKOFF_SECONDS * 2**(attempts-1)`` (at most ``MAX_BACKOFF``); after
``OUTBOX_MAX_ATTEMPTS`` attempts the row is ``failed``. A 5xx reply fails the row at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.outbox import queries
from portal.outbox.messages import TEMPLATE_NAME, checked_header, render_message
from portal.outbox.models import OutboxMessage
from portal.outbox.queries import pending_lag_seconds
from portal.outbox.transport import DeliveryError, StoredMail, open_transport
from portal.timestamps import utcnow
from portal.web.i18n import LANGS

__all__ = [
    "DeliveryReport",
    "claim_due",
    "compose_waiting",
    "deliver_all_due",
    "deliver_due",
    "enqueue",
    "later_values",
    "pending_lag_seconds",
    "register_writer",
]

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=12)
WRITERS = "outbox.writers"  # app.extensions key: kind -> context(enquiry_id)
DEFAULT_LEASE_SECONDS = 300  # far longer than one message can take (SMTP timeout 30 s per step)
CLAIMED = ("id", "message_id", "kind", "recipient", "reply_to", "subject", "body_text")
CLAIMED += ("body_html", "attempts", "locked_until")


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery pass did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # claimed, but another worker had taken it over (an expired lease)

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def enqueue(
    *,
    kind: str,
    to: str,
    template: str,
    lang: str,
    context: dict,
    enquiry_id: int | None = None,
    reply_to: str | None = None,
) -> OutboxMessage:
    """Render ``email/<template>.<lang>.*`` now and add it to the outbox as ``pending``.

    Adds and flushes only; the caller commits. Raises what ``message_values`` raises.
    """
    message = OutboxMessage(
        **message_values(
            kind=kind,
            to=to,
            template=template,
            lang=lang,
            context=context,
            enquiry_id=enquiry_id,
            reply_to=reply_to,
        )
    )
    db.session.add(message)
    db.session.flush()
    return message


def message_values(
    *,
    kind: str,
    to: str,
    template: str,
    lang: str,
    context: dict,
    enquiry_id: int | None = None,
    reply_to: str | None = None,
) -> dict:
    """One email rendered and checked, as the outbox row to write (nothing is written here).

    Raises ValueError for a line break or control character in any header value (to, reply_to,
    subject), an address that is not one plain email address, an unknown language or an
    over-long kind; jinja2.TemplateNotFound for a missing template.
    """
    subject, text, html = render_message(template, lang, **context)
    return _row(kind, to, template, lang, enquiry_id, reply_to) | _content(subject, text, html)


def later_values(
    *,
    kind: str,
    to: str,
    template: str,
    lang: str,
    enquiry_id: int | None,
    reply_to: str | None = None,
) -> dict:
    """One email the worker writes before delivery (see the module's docstring), as the outbox
    row to write now: addresses checked, Message-ID fixed, subject and body still empty. The
    worker writes it from its enquiry: a caller that has no ``enquiry_id`` yet sets it in the row
    before writing it.

    Raises ValueError as ``message_values`` does for the addresses, the kind and the language,
    and for a malformed template name or a kind no writer is registered for. A template that
    fails when it is written marks the message failed then.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if not TEMPLATE_NAME.fullmatch(template):
        raise ValueError(f"malformed email template name {template!r}")
    if kind not in current_app.extensions.get(WRITERS, {}):
        raise ValueError(f"no writer is registered for {kind!r} messages")
    empty = {"subject": None, "body_text": None, "body_html": None}
    return _row(kind, to, template, lang, enquiry_id, reply_to) | empty


def register_writer(app: Flask, kind: str, context: Callable[[int], dict]) -> None:
    """Let the worker write ``kind`` messages enqueued with ``later_values``.

    ``context(enquiry_id)`` returns the template's values; it is called in the message's
    language (``force_locale``) and raises LookupError when the enquiry is gone.
    """
    app.extensions.setdefault(WRITERS, {})[kind] = context


def _row(kind, to, template, lang, enquiry_id, reply_to) -> dict:
    if not kind or len(kind) > 30:
        raise ValueError("kind must be 1 to 30 characters")
    now = utcnow()
    return {
        "message_id": new_message_id(),
        "kind": kind,
        "enquiry_id": enquiry_id,
        "recipient": _address(to, "To"),
        "reply_to": _address(reply_to, "Reply-To") if reply_to else None,
        "template": template,
        "lang": lang,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def _content(subject: str, text: str, html: str | None) -> dict:
    subject = subject if len(subject) <= 300 else subject[:299] + "…"
    return {"subject": subject, "body_text": text, "body_html": html}


def compose_waiting(limit: int = 100) -> int:
    """Write up to ``limit`` messages that wait to be written (oldest first) and commit.

    Returns how many it took on. A message whose writer or template fails (its enquiry is gone,
    a template is broken) is marked failed with the reason, and the rest go on; database errors
    propagate after a rollback. On PostgreSQL concurrent workers take disjoint messages.
    """
    waiting = (
        select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.template,
            OutboxMessage.lang,
            OutboxMessage.enquiry_id,
        )
        .where(OutboxMessage.status == "pending", OutboxMessage.body_text.is_(None))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    try:
        rows = db.session.execute(waiting).all()
        for row in rows:
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.body_text.is_(None))
                .values(**_written(row))
                .execution_options(synchronize_session=False)
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(rows)


def _written(row) -> dict:
    """The content of a waiting message, or its failure when it cannot be written."""
    try:
        writer = current_app.extensions.get(WRITERS, {}).get(row.kind)
        if writer is None:
            raise LookupError(f"no writer is registered for {row.kind!r} messages")
        if row.enquiry_id is None:
            raise LookupError("its enquiry was deleted before it was written")
        with force_locale(row.lang):
            context = writer(row.enquiry_id)
        return _content(*render_message(row.template or "", row.lang, **context))
    except SQLAlchemyError:
        raise
    except Exception as error:  # one message that cannot be written must not stop the rest
        log.error("outbox message %s could not be written: %s", row.id, error)
        reason = f"could not be written: {type(error).__name__}: {error}"
        return {"status": "failed", "last_error": reason[:500]}


def enqueue_all(messages: list[dict]) -> None:
    """Write several ``message_values`` to the outbox in one statement (the caller commits).

    For a caller that needs none of them back as objects: a plain Core INSERT in the session's
    transaction, no identity map, no ids read back.
    """
    if messages:
        db.session.connection().execute(_INSERT_MESSAGES, messages)


_INSERT_MESSAGES = OutboxMessage.__table__.insert()  # built once: every enquiry runs it


def new_message_id() -> str:
    """A unique Message-ID on the host of PUBLIC_BASE_URL: ``<hex@host>``."""
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{host.encode('idna').decode('ascii')}>"


def _address(value: str, field: str) -> str:
    checked_header(value, field)
    try:
        checked = validate_email(value.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValueError(f"{field} is not one plain email address: {error}") from None
    if len(checked.normalized) > 254:
        raise ValueError(f"{field} is longer than 254 characters")
    return checked.normalized


def backoff_delay(attempts: int, base_seconds: float) -> timedelta:
    """Wait after the ``attempts``-th failed try: base * 2**(attempts-1), at most MAX_BACKOFF."""
    exponent = min(max(attempts - 1, 0), 40)
    return min(timedelta(seconds=max(base_seconds, 0) * 2**exponent), MAX_BACKOFF)


def deliver_due(*, worker_id: str, batch: int = 20) -> DeliveryReport:
    """Claim up to ``batch`` due messages for ``worker_id`` and deliver them, committing each.

    Raises ValueError for a batch below 1; database errors propagate after a rollback (claimed
    rows then wait for their lease to run out).
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    compose_waiting(batch)
    try:
        rows = claim_due(worker_id[:100], batch)
        db.session.commit()
        outcomes = _deliver_claimed(rows, worker_id[:100]) if rows else []
    except Exception:
        db.session.rollback()
        raise
    return DeliveryReport(
        claimed=len(rows),
        sent=outcomes.count("sent"),
        retried=outcomes.count("retried"),
        failed=outcomes.count("failed"),
        skipped=outcomes.count("skipped"),
    )


def deliver_all_due(*, worker_id: str, batch: int = 20) -> DeliveryReport:
    """One pass over everything due now (what falls due again meanwhile waits for the next)."""
    while compose_waiting(batch) == batch:
        pass
    remaining = queries.due_count()
    total = DeliveryReport()
    while remaining > 0:
        report = deliver_due(worker_id=worker_id, batch=min(batch, remaining))
        if report.claimed == 0:
            break
        total += report
        remaining -= report.claimed
    return total


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def claim_due(worker_id: str, batch: int) -> list:
    """Lease up to ``batch`` due rows to ``worker_id`` (no commit); returns them ordered by id."""
    now = utcnow()
    due = (
        select(OutboxMessage.id)
        .where(*queries.due_filter(now))
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due))
        .values(locked_until=now + _lease(), locked_by=worker_id)
        .returning(*(getattr(OutboxMessage, name) for name in CLAIMED))
        .execution_options(synchronize_session=False)
    )
    rows = db.session.execute(statement).all()
    return sorted(rows, key=lambda row: row.id)


def _deliver_claimed(rows: list, worker_id: str) -> list[str]:
    """Send each claimed row and record its outcome; renews the leases once half has run out."""
    outcomes: list[str] = []
    owned, lease_until = {row.id for row in rows}, min(row.locked_until for row in rows)
    down: DeliveryError | None = None  # the server could not be reached: back off the rest
    with open_transport() as carrier:
        for index, row in enumerate(rows):
            if utcnow() >= lease_until - _lease() / 2:
                owned, lease_until = _renew_leases([r.id for r in rows[index:]], worker_id)
            if row.id not in owned:  # the lease ran out and another worker took the row
                outcomes.append("skipped")
                continue
            error = down or _send(carrier, row)
            if error is None:
                sent = {"status": "sent", "sent_at": utcnow(), "attempts": row.attempts + 1}
                _finish(row.id, worker_id, last_error=None, **sent)
                outcomes.append("sent")
                continue
            outcomes.append(_record_failure(row, worker_id, error))
            if error.unreachable:
                down = error
    return outcomes


def _send(carrier, row: StoredMail) -> DeliveryError | None:
    try:
        carrier.send(row)
    except DeliveryError as error:
        return error
    except Exception as error:  # one broken message must not stop the batch
        log.error("outbox message %s: unexpected %s", row.id, type(error).__name__)
        return DeliveryError(f"unexpected error: {type(error).__name__}")
    return None


def _record_failure(row, worker_id: str, error: DeliveryError) -> str:
    attempts = row.attempts + 1
    config = current_app.config
    if error.permanent or attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        outcome, values = "failed", {"status": "failed"}
    else:
        delay = backoff_delay(attempts, config["OUTBOX_BACKOFF_SECONDS"])
        outcome, values = "retried", {"next_attempt_at": utcnow() + delay}
    _finish(row.id, worker_id, attempts=attempts, last_error=error.summary, **values)
    log.warning(
        "outbox message %s: %s after attempt %s (%s)",
        row.id,
        outcome,
        attempts,
        error.code or ("permanent" if error.permanent else "temporary"),
    )
    return outcome


def _renew_leases(row_ids: list[int], worker_id: str) -> tuple[set[int], datetime]:
    """Extend this worker's leases on ``row_ids``; returns the rows still its own and the end."""
    lease_until = utcnow() + _lease()
    owned = db.session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(row_ids),
            OutboxMessage.locked_by == worker_id,
            OutboxMessage.status == "pending",
        )
        .values(locked_until=lease_until)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    owned_ids = set(owned)
    db.session.commit()
    return owned_ids, lease_until


def _finish(row_id: int, worker_id: str, **values) -> None:
    """Record the outcome of one send and release the lease, in its own commit."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.locked_by == worker_id)
        .values(locked_until=None, locked_by=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.warning("outbox message %s: lease lost before its outcome was recorded", row_id)
