"""The retention purge: what is due goes, statistics stay, holds are skipped, one audit row each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.audit.models import AuditEntry
from portal.background.jobs import registered_jobs
from portal.extensions import db
from portal.inbox import search
from portal.inbox.models import EnquiryTag
from portal.intake.models import Enquiry, EnquiryEvent
from portal.outbox.models import OutboxMessage
from portal.privacy import retention
from tests.factories import make_enquiry

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


def _finished(days_ago: float, **overrides) -> Enquiry:
    moment = NOW - timedelta(days=days_ago)
    values = {"status": "closed", "created_at": moment - timedelta(days=10), "updated_at": moment}
    values.update(overrides)
    return make_enquiry(**values)


def _with_mail_and_notes(enquiry: Enquiry) -> None:
    db.session.add_all(
        [
            EnquiryEvent(
                enquiry_id=enquiry.id,
                kind="note",
                body="Ring Kari om budsjettet",
                created_at=enquiry.created_at,
            ),
            EnquiryEvent(
                enquiry_id=enquiry.id,
                kind="status",
                before="new",
                after="closed",
                created_at=enquiry.updated_at,
            ),
            EnquiryTag(enquiry_id=enquiry.id, tag="nettverk"),
            OutboxMessage(
                message_id=f"<r{enquiry.id}@test>",
                kind="receipt",
                enquiry_id=enquiry.id,
                recipient=enquiry.email,
                subject="Takk, Kari",
                body_text="Hei Kari",
                body_html="<p>Hei Kari</p>",
                status="sent",
                next_attempt_at=enquiry.created_at,
            ),
            OutboxMessage(
                message_id=f"<p{enquiry.id}@test>",
                kind="reply",
                enquiry_id=enquiry.id,
                recipient=enquiry.email,
                subject="Svar",
                body_text="Hei igjen",
                status="pending",
                next_attempt_at=enquiry.created_at,
            ),
        ]
    )
    db.session.commit()


def _found_by_search(word: str) -> set[int]:
    terms = search.search_terms(word)
    condition = search.matches(terms, db.engine.dialect.name)
    return set(db.session.scalars(select(Enquiry.id).where(condition)))


def _run(app, **config):
    app.config.update(config)
    with time_machine.travel(NOW, tick=False):
        return retention.purge()


def test_a_finished_enquiry_past_retention_is_anonymised_and_its_statistics_kept(app):
    old = _finished(
        37 * 30,
        name="Kari Oldtimer",
        email="kari@old.example",
        phone="99999999",
        organisation="Gamle kommune",
        message="hemmelig melding",
        region="agder",
        keep_in_touch=True,
        keep_in_touch_at=NOW - timedelta(days=1200),
        accessibility_needs="rullestol",
        source="embed",
        source_page="https://www.usn.no/sesam?navn=kari",
    )
    _with_mail_and_notes(old)
    old_public_id, old_created = old.public_id, old.created_at
    assert _found_by_search("Oldtimer") == {old.id}

    report = _run(app, RETENTION_MONTHS=36)

    assert report.anonymised == 1
    db.session.expire_all()
    gone = db.session.get(Enquiry, old.id)
    assert (gone.name, gone.email, gone.problem) == ("", "", "")
    assert gone.phone is gone.organisation is gone.message is gone.accessibility_needs is None
    assert gone.public_id != old_public_id and gone.is_anonymised
    assert gone.anonymised_at == NOW
    # The statistics stay.
    assert (gone.status, gone.region, gone.enquiry_type, gone.organisation_type) == (
        "closed",
        "agder",
        "co_creation_support",
        "municipality",
    )
    assert gone.reference == old.reference and gone.created_at == old_created
    assert (gone.source_page, gone.source_host) == (None, "www.usn.no")  # the page may say who
    assert db.session.scalar(select(EnquiryTag.tag)) == "nettverk"
    events = db.session.scalars(select(EnquiryEvent).order_by(EnquiryEvent.id)).all()
    assert [(e.kind, e.body, e.after) for e in events] == [
        ("note", None, None),
        ("status", None, "closed"),
    ]
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {(m.recipient, m.subject, m.body_text, m.body_html) for m in mails} == {
        ("", None, None, None)
    }
    assert [m.status for m in mails] == ["sent", "failed"]  # never delivered after all
    # Nothing left to find in the search index.
    assert _found_by_search("Oldtimer") == set()
    assert _found_by_search("hemmelig") == set()
    [audit] = db.session.scalars(select(AuditEntry)).all()
    assert (audit.kind, audit.target, audit.detail, audit.actor_id) == (
        "enquiry.anonymised",
        old.reference,
        "retention",
        None,
    )


def test_what_is_not_due_stays(app):
    recent = _finished(30 * 35)
    open_old = _finished(2000, status="in_dialogue")
    new_spam = _finished(10, status="spam")
    held = _finished(2000, hold_kind="journaled", hold_reference="2026/1234")
    done = _finished(2000, anonymised_at=NOW - timedelta(days=100), name="")

    assert _run(app, RETENTION_MONTHS=36, SPAM_RETENTION_DAYS=30).anonymised == 0

    for enquiry in (recent, open_old, new_spam, held):
        assert db.session.get(Enquiry, enquiry.id).anonymised_at is None
    assert db.session.get(Enquiry, done.id).anonymised_at == NOW - timedelta(days=100)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_spam_goes_after_its_own_period(app):
    spam = _finished(31, status="spam")
    report = _run(app, RETENTION_MONTHS=36, SPAM_RETENTION_DAYS=30)
    assert report.anonymised == 1
    assert db.session.get(Enquiry, spam.id).name == ""
    assert db.session.scalar(select(AuditEntry.detail)) == "spam_retention"


def test_zero_means_at_once(app):
    closed = _finished(0, status="declined")
    spam = _finished(0, status="spam")
    new = _finished(0, status="new")
    assert _run(app, RETENTION_MONTHS=0, SPAM_RETENTION_DAYS=0).anonymised == 2
    assert db.session.get(Enquiry, closed.id).is_anonymised
    assert db.session.get(Enquiry, spam.id).is_anonymised
    assert not db.session.get(Enquiry, new.id).is_anonymised


def test_the_purge_works_in_batches_and_an_interrupted_run_goes_on_where_it_stopped(app):
    app.config.update(RETENTION_MONTHS=0)
    enquiries = [_finished(1) for _ in range(7)]
    with time_machine.travel(NOW, tick=False):
        first = retention.purge(batch=3, max_batches=1)  # as if stopped after one batch
        assert first.anonymised == 3
        rest = retention.purge(batch=3)
    assert (rest.anonymised, rest.batches) == (4, 2)
    assert all(db.session.get(Enquiry, e.id).is_anonymised for e in enquiries)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 7


def test_the_dry_run_changes_nothing_and_lists_due_held_and_soon(app):
    app.config.update(RETENTION_MONTHS=36, SPAM_RETENTION_DAYS=30)
    due = _finished(36 * 31)
    soon = _finished(36 * 30.4 - 20)
    held = _finished(2000, hold_kind="legal")
    _finished(100)
    with time_machine.travel(NOW, tick=False):
        result = retention.dry_run()
    assert (result.due, result.due_references) == (1, [due.reference])
    assert (result.soon, result.soon_references) == (1, [soon.reference])
    assert result.held == [(held.reference, "legal", None)]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert not db.session.get(Enquiry, due.id).is_anonymised


def test_the_cli_dry_run_and_the_real_run(app):
    app.config.update(RETENTION_MONTHS=0)
    enquiry = _finished(1)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Due now: 1 enquiries" in result.output and enquiry.reference in result.output
    assert not db.session.get(Enquiry, enquiry.id).is_anonymised
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "Anonymised 1 enquiries" in result.output
    db.session.expire_all()
    assert db.session.get(Enquiry, enquiry.id).is_anonymised


def test_the_cli_refuses_a_batch_under_one(app):
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--batch", "0"])
    assert result.exit_code != 0 and "at least 1" in result.output


def test_the_purge_is_a_daily_worker_job(app):
    job = {job.name: job for job in registered_jobs()}["privacy-purge"]
    assert job.every == timedelta(days=1) and not job.each_worker
    app.config.update(RETENTION_MONTHS=0)
    enquiry = _finished(1)
    assert job.run("worker-test") is False
    assert db.session.get(Enquiry, enquiry.id).is_anonymised


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 12, 6, tzinfo=UTC), 36, datetime(2023, 12, 6, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 0, datetime(2026, 1, 15, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert retention.months_before(moment, months) == expected
