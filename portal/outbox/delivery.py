"""Delivering mail: workers claim due outbox rows with a lease and hand them to the transport.

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
fixed when it was queued, so mail clients recognise it as the same message.

Retry policy: a 4xx reply, a refused, dropped or timed-out connection counts an attempt and waits
``OUTBOX_BACKOFF_SECONDS * 2**(attempts-1)`` (at most ``MAX_BACKOFF``); after
``OUTBOX_MAX_ATTEMPTS`` attempts the row is ``failed``. A 5xx reply fails the row at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from portal.database import begin_writing
from portal.extensions import db
from portal.outbox import queries
from portal.outbox.models import OutboxMessage
from portal.outbox.transport import DeliveryError, StoredMail, open_transport
from portal.timestamps import utcnow

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=12)
DEFAULT_LEASE_SECONDS = 300  # far longer than one message can take (SMTP timeout 30 s per step)
CLAIMED = ("id", "message_id", "kind", "recipient", "reply_to", "subject", "body_text")
CLAIMED += ("body_html", "attempts", "locked_until", "in_reply_to", "thread_references")


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery pass did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # claimed, but another worker had taken it over (an expired lease)

    def __str__(self) -> str:
        return " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


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
    try:
        begin_writing()
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
