"""The staff digest: exactly the right enquiries, in each person's language, on working days at
their hour, and at most one per person per day however many workers run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.accounts.models import StaffUser
from portal.digest.models import DigestSent
from portal.digest.services import due_staff_ids, sections, send_due
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.factories import make_enquiry, make_staff

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Monday 7 December 2026, 07:05 in Oslo (06:05 UTC): a working day, just past the default hour.
MONDAY_0705 = datetime(2026, 12, 7, 6, 5, tzinfo=UTC)
TODAY = date(2026, 12, 7)


def digests() -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.kind == "digest").order_by(OutboxMessage.id)
    return list(db.session.scalars(stmt))


def refs(section) -> list[str]:
    return [row["reference"] for row in section.rows]


@pytest.fixture
def desk(app):
    """Two staff members and one enquiry of each kind a digest tells or leaves out."""
    ada = make_staff(name="Ada Aasen", lang="nn", email="ada@example.org")
    bo = make_staff(name="Bo Berg", lang="en", email="bo@example.org")
    received = MONDAY_0705 - timedelta(days=10)
    e = {
        "new_ada": make_enquiry(status="new", assignee_id=ada.id, first_response_due=TODAY),
        "new_nobody": make_enquiry(status="new", first_response_due=TODAY),
        "new_bo": make_enquiry(status="new", assignee_id=bo.id, first_response_due=TODAY),
        "overdue_nobody": make_enquiry(
            status="triaged", created_at=received, first_response_due=TODAY - timedelta(days=3)
        ),
        "overdue_bo": make_enquiry(
            status="triaged",
            assignee_id=bo.id,
            created_at=received,
            first_response_due=TODAY - timedelta(days=1),
        ),
        "answered": make_enquiry(
            status="in_dialogue", assignee_id=ada.id, first_response_due=TODAY - timedelta(5)
        ),
        "follow_up_ada": make_enquiry(
            status="in_dialogue", assignee_id=ada.id, follow_up_on=TODAY, first_response_due=None
        ),
        "follow_up_late_ada": make_enquiry(
            status="triaged",
            assignee_id=ada.id,
            follow_up_on=TODAY - timedelta(days=2),
            first_response_due=TODAY + timedelta(days=2),
        ),
        "follow_up_closed": make_enquiry(
            status="closed", assignee_id=ada.id, follow_up_on=TODAY, first_response_due=None
        ),
        "follow_up_later": make_enquiry(
            status="in_dialogue",
            assignee_id=ada.id,
            follow_up_on=TODAY + timedelta(days=1),
            first_response_due=None,
        ),
        "spam": make_enquiry(status="spam", first_response_due=TODAY - timedelta(days=3)),
    }
    return ada, bo, {name: enquiry.reference for name, enquiry in e.items()}


def test_a_digest_lists_exactly_what_is_new_overdue_and_due(desk):
    ada, bo, ref = desk
    ada_parts, bo_parts = sections(ada.id, TODAY), sections(bo.id, TODAY)
    assert refs(ada_parts["new"]) == [ref["new_ada"], ref["new_nobody"]]
    assert refs(bo_parts["new"]) == [ref["new_nobody"], ref["new_bo"]]
    assert refs(ada_parts["overdue"]) == [ref["overdue_nobody"]]
    assert refs(bo_parts["overdue"]) == [ref["overdue_nobody"], ref["overdue_bo"]]
    assert refs(ada_parts["follow_ups"]) == [ref["follow_up_ada"], ref["follow_up_late_ada"]]
    assert refs(bo_parts["follow_ups"]) == []


def test_each_person_gets_one_digest_a_working_day_in_their_language(desk):
    _, _, ref = desk
    with time_machine.travel(MONDAY_0705, tick=False):
        assert send_due() == 2
        assert send_due() == 0  # the same day: nobody twice
    ada_mail, bo_mail = digests()
    assert (ada_mail.recipient, ada_mail.lang) == ("ada@example.org", "nn")
    assert ada_mail.subject == "Oversikt for 07.12.2026 frå SESAM-innboksen"
    assert (
        "Hei Ada," in ada_mail.body_text
        and "Oppfølgingane dine som forfell (2)" in ada_mail.body_text
    )
    for name in ("new_ada", "new_nobody", "overdue_nobody", "follow_up_ada", "follow_up_late_ada"):
        assert ref[name] in ada_mail.body_text
    for name in ("new_bo", "overdue_bo", "answered", "follow_up_closed", "follow_up_later", "spam"):
        assert ref[name] not in ada_mail.body_text
    assert bo_mail.lang == "en" and bo_mail.subject.startswith("Your digest for 07 December 2026")
    assert "First responses overdue (2)" in bo_mail.body_text
    with time_machine.travel(MONDAY_0705 + timedelta(days=1), tick=False):
        assert send_due() == 2  # Tuesday: a new day


def test_no_digest_before_the_hour_on_a_holiday_or_when_turned_off(desk):
    ada, bo, _ = desk
    with time_machine.travel(MONDAY_0705 - timedelta(minutes=10), tick=False):  # 06:55 in Oslo
        assert due_staff_ids(datetime.now(UTC)) == []
    saturday = MONDAY_0705 - timedelta(days=2)
    christmas = datetime(2026, 12, 25, 9, tzinfo=UTC)
    assert due_staff_ids(saturday) == due_staff_ids(christmas) == []
    db.session.get(StaffUser, ada.id).digest = False
    db.session.get(StaffUser, bo.id).digest_hour = 9
    db.session.commit()
    assert due_staff_ids(MONDAY_0705) == []
    assert due_staff_ids(MONDAY_0705 + timedelta(hours=2)) == [bo.id]  # 09:05 in Oslo


def test_with_nothing_to_tell_the_day_is_marked_and_no_mail_is_sent(app):
    quiet = make_staff(lang="nb")
    with time_machine.travel(MONDAY_0705, tick=False):
        assert send_due() == 1
        assert send_due() == 0
    assert digests() == []
    assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 1
    assert db.session.scalar(select(DigestSent.staff_id)) == quiet.id


LAUNCH = (
    "import sys, time_machine;"
    "time_machine.travel(float(sys.argv.pop(1)), tick=True).start();"
    "from flask.cli import main;"
    "sys.argv[0] = 'flask'; main()"
)


def test_two_workers_send_each_person_one_digest(desk, database_url, tmp_path):
    """Two ``flask --app wsgi worker`` processes at 07:05 on a Monday, both running the job."""
    env = {k: v for k, v in os.environ.items() if k != "FLASK_DEBUG"}
    env.update(
        DATABASE_URL=database_url,
        PORTAL_ENV="development",
        PUBLIC_BASE_URL="http://127.0.0.1:5000",
        MAIL_FILE_DIR=str(tmp_path / "mail"),
        PYTHONPATH=ROOT,
    )
    command = [sys.executable, "-c", LAUNCH, str(MONDAY_0705.timestamp())]
    workers, logs = [], []
    for name in ("a", "b"):
        args = [*command, "--app", "wsgi", "worker", "--worker-id", f"digest-{name}"]
        logs.append((tmp_path / f"worker-{name}.log").open("w"))
        workers.append(
            subprocess.Popen(args, cwd=ROOT, env=env, stdout=logs[-1], stderr=subprocess.STDOUT)
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.session.rollback()
            if db.session.scalar(select(func.count()).select_from(DigestSent)) == 2:
                break
            time.sleep(0.5)
        time.sleep(2)  # long enough for a second digest to show if one were coming
    finally:
        for worker in workers:
            worker.terminate()
        for worker, log in zip(workers, logs, strict=True):
            worker.wait(timeout=30)
            log.close()
    db.session.rollback()
    mails = digests()
    assert sorted((mail.recipient, mail.lang) for mail in mails) == [
        ("ada@example.org", "nn"),
        ("bo@example.org", "en"),
    ]
    assert db.session.scalar(select(func.count()).select_from(DigestSent)) == 2
