"""``flask seed-demo``: realistic, searchable demo enquiries that never collide with real ones."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.inbox.queries import Filters, enquiry_page
from portal.intake.models import Enquiry, EnquiryEvent, ReferenceCounter
from portal.intake.reference import allocate_reference
from portal.timestamps import utcnow
from tests.factories import make_staff


def seed(app, *args: str):
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    db.session.expire_all()
    return result


def test_seed_demo_adds_varied_enquiries_and_demo_staff(app):
    result = seed(app, "--count", "120", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "Added 120 demo enquiries" in result.output
    enquiries = list(db.session.scalars(select(Enquiry)))
    assert len(enquiries) == 120
    assert len({e.reference for e in enquiries}) == 120
    assert Counter(e.lang for e in enquiries).keys() == {"nb", "nn", "en"}
    assert len({e.enquiry_type for e in enquiries}) >= 6
    assert len({e.organisation_type for e in enquiries}) >= 8
    assert len({e.status for e in enquiries}) >= 5
    span = max(e.created_at for e in enquiries) - min(e.created_at for e in enquiries)
    assert span.days > 365
    assert all(e.created_at <= utcnow() for e in enquiries)
    assert all(e.first_response_due for e in enquiries)
    assert any(e.assignee_id for e in enquiries) and any(not e.assignee_id for e in enquiries)
    staff = list(db.session.scalars(select(StaffUser)))
    assert len(staff) == 4 and all(person.password_hash is None for person in staff)
    # Colleagues the outbox accepts, and the command says who they are.
    assert all(person.email.endswith("@example.org") for person in staff)
    assert "Added demo colleague Ola Haugen <ola.haugen@example.org> (staff" in result.output
    ended = [e for e in enquiries if e.status in ("agreed", "declined", "closed")]
    assert ended and all(e.outcome for e in ended)
    assert all(e.outcome_referred_to for e in ended if e.outcome == "referred")
    received = db.session.scalar(select(func.count()).where(EnquiryEvent.kind == "received"))
    assert received == 120


def test_demo_enquiries_are_searchable(app):
    seed(app, "--count", "80", "--seed", "1")
    assert enquiry_page(Filters(q="kommune"), None).rows


def test_demo_data_keeps_the_existing_staff_and_reference_numbers_unique(app):
    existing = make_staff()
    first = seed(app, "--count", "30", "--seed", "2")
    second = seed(app, "--count", "30", "--seed", "3")
    staff = list(db.session.scalars(select(StaffUser).order_by(StaffUser.id)))
    assert staff[0] == existing and len(staff) == 5  # the demo colleagues join, once
    assert first.output.count("Added demo colleague") == 4
    assert "Added demo colleague" not in second.output
    references = list(db.session.scalars(select(Enquiry.reference)))
    assert len(references) == len(set(references)) == 60
    # The next real enquiry's number comes after every demo number of its year.
    year, sequence, reference = allocate_reference(utcnow())
    assert reference not in references
    counter = db.session.get(ReferenceCounter, year)
    assert counter.last == sequence


def test_a_count_below_one_is_refused(app):
    result = seed(app, "--count", "0")
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(Enquiry)) == 0
