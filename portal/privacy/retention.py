"""The retention purge: anonymise what ``RETENTION_MONTHS`` and ``SPAM_RETENTION_DAYS`` say is due.

Due: an enquiry not yet anonymised and under no hold that is finished (agreed, declined,
closed) with its last activity ``RETENTION_MONTHS`` ago, or spam last touched
``SPAM_RETENTION_DAYS`` ago (``0`` is "at once": the next run). The purge works in batches, each
one transaction, so an interrupted run leaves whole batches done and the next run goes on from
there (what is anonymised is no longer due).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, String, and_, cast, func, literal, or_, select, update

from portal.audit.trail import record_many
from portal.database import transaction
from portal.extensions import db
from portal.intake.models import FINISHED_STATUSES, Enquiry
from portal.privacy.personal_data import BELONGS_TO, NEW_TOKEN, PERSONAL
from portal.timestamps import utcnow

BATCH = 500
LOOKAHEAD = timedelta(days=30)
ANONYMISED = "enquiry.anonymised"


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` less ``months`` calendar months (the 31st becomes the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Cutoffs:
    """Last activity at or before ``finished`` (finished enquiries) or ``spam`` is due."""

    finished: datetime
    spam: datetime


def cutoffs(now: datetime) -> Cutoffs:
    config = current_app.config
    return Cutoffs(
        finished=months_before(now, config["RETENTION_MONTHS"]),
        spam=now - timedelta(days=config["SPAM_RETENTION_DAYS"]),
    )


def _due(cut: Cutoffs):
    return and_(
        Enquiry.anonymised_at.is_(None),
        or_(
            and_(Enquiry.status.in_(FINISHED_STATUSES), Enquiry.updated_at <= cut.finished),
            and_(Enquiry.status == "spam", Enquiry.updated_at <= cut.spam),
        ),
    )


def _reason(status: str) -> str:
    return "spam_retention" if status == "spam" else "retention"


# --------------------------------------------------------------------------- anonymising


def anonymise(enquiries: list[tuple[int, str, str]], *, actor_id: int | None, now: datetime):
    """Clear every personal column of these ``(id, reference, reason)`` enquiries and what
    belongs to them, and add one audit row each (add only: the caller commits)."""
    if not enquiries:
        return
    ids = [row[0] for row in enquiries]
    outbox = db.metadata.tables["outbox_message"]
    # Mail not yet sent is never sent: its body is about to go.
    db.session.execute(
        update(outbox)
        .where(outbox.c.enquiry_id.in_(ids), outbox.c.status == "pending")
        .values(status="failed", last_error="anonymised before delivery")
    )
    for table_name, columns in PERSONAL.items():
        table = db.metadata.tables[table_name]
        values = {name: _cleared(table, name, value) for name, value in columns.items()}
        if table_name == "enquiry":
            values["anonymised_at"] = now
        db.session.execute(update(table).where(BELONGS_TO[table_name](table, ids)).values(values))
    record_many(
        [
            {
                "created_at": now,
                "actor_id": actor_id,
                "kind": ANONYMISED,
                "target": reference,
                "detail": reason,
            }
            for _id, reference, reason in enquiries
        ]
    )


def _cleared(table, name: str, value: object):
    if value is NEW_TOKEN:
        return literal("anon-") + cast(table.c.id, String)
    return value


# --------------------------------------------------------------------------- the purge


@dataclass
class PurgeReport:
    anonymised: int = 0
    batches: int = 0
    discarded_mail: int = 0  # discarded unmatched mail cleared (portal/conversation)

    def __str__(self) -> str:
        return f"anonymised={self.anonymised} batches={self.batches}"


def purge(now: datetime | None = None, *, batch: int = BATCH, max_batches: int | None = None):
    """Anonymise everything due, ``batch`` enquiries per transaction; returns a PurgeReport.

    Enquiries under a hold are skipped. Database errors propagate after a rollback; batches
    committed before stay done.
    """
    now = now or utcnow()
    cut = cutoffs(now)
    report = PurgeReport()
    while max_batches is None or report.batches < max_batches:
        with transaction():
            rows = db.session.execute(
                select(Enquiry.id, Enquiry.reference, Enquiry.status)
                .where(_due(cut), Enquiry.hold_kind.is_(None))
                .order_by(Enquiry.id)
                .limit(batch)
            ).all()
            anonymise(
                [(i, ref, _reason(status)) for i, ref, status in rows], actor_id=None, now=now
            )
        if not rows:
            break
        report.anonymised += len(rows)
        report.batches += 1
    report.discarded_mail = purge_discarded_mail(cut)
    return report


def purge_discarded_mail(cut: Cutoffs) -> int:
    """Clear the personal data of mail staff discarded, ``SPAM_RETENTION_DAYS`` after the
    discard (it belongs to no enquiry, so no enquiry's purge reaches it). One transaction."""
    inbound = db.metadata.tables["inbound_message"]
    with transaction():
        due = select(inbound.c.id).where(
            inbound.c.state == "discarded", inbound.c.decided_at <= cut.spam, inbound.c.sender != ""
        )
        ids = list(db.session.scalars(due))
        if ids:
            clear_inbound_mail(ids)
    return len(ids)


def clear_inbound_mail(ids: list[int] | Select) -> None:
    """Clear the personal columns of the inbound messages ``ids`` and of their attachments."""
    inbound = db.metadata.tables["inbound_message"]
    files = db.metadata.tables["inbound_attachment"]
    db.session.execute(
        update(files).where(files.c.inbound_id.in_(ids)).values(PERSONAL["inbound_attachment"])
    )
    db.session.execute(
        update(inbound).where(inbound.c.id.in_(ids)).values(PERSONAL["inbound_message"])
    )


# --------------------------------------------------------------------------- the dry run


@dataclass
class DryRun:
    """What a purge would do now, what is held back, and what falls due within 30 days."""

    due: int = 0
    due_references: list[str] = field(default_factory=list)
    held: list[tuple[str, str, str | None]] = field(default_factory=list)
    soon: int = 0
    soon_references: list[str] = field(default_factory=list)


def dry_run(now: datetime | None = None, *, listed: int = 50) -> DryRun:
    """Counts, and up to ``listed`` references of each kind (every hold is listed)."""
    now = now or utcnow()
    cut, ahead = cutoffs(now), cutoffs(now + LOOKAHEAD)
    free = Enquiry.hold_kind.is_(None)
    result = DryRun()
    result.due = _count(and_(_due(cut), free))
    result.due_references = _references(and_(_due(cut), free), listed)
    soon = and_(_due(ahead), free, ~_due(cut))
    result.soon = _count(soon)
    result.soon_references = _references(soon, listed)
    result.held = [
        (row.reference, row.hold_kind, row.hold_reference)
        for row in db.session.execute(
            select(Enquiry.reference, Enquiry.hold_kind, Enquiry.hold_reference)
            .where(Enquiry.hold_kind.is_not(None), _due(ahead))
            .order_by(Enquiry.id)
        )
    ]
    db.session.rollback()
    return result


def _count(condition) -> int:
    return db.session.scalar(select(func.count()).select_from(Enquiry).where(condition)) or 0


def _references(condition, limit: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Enquiry.reference).where(condition).order_by(Enquiry.id).limit(limit)
        )
    )
