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
    received = db.session.scalar(select(func.count()).where(EnquiryEvent.kind == "received"))
    assert received == 120


def test_demo_enquiries_are_searchable(app):
    seed(app, "--count", "80", "--seed", "1")
    assert enquiry_page(Filters(q="kommune"), None).rows


def test_demo_data_keeps_the_existing_staff_and_reference_numbers_unique(app):
    existing = make_staff()
    seed(app, "--count", "30", "--seed", "2")
    seed(app, "--count", "30", "--seed", "3")
    assert list(db.session.scalars(select(StaffUser))) == [existing]
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
