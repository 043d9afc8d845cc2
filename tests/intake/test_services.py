"""The intake's services called directly: one transaction each, what they store and enqueue."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.inbox import services as inbox_services
from portal.intake import mail
from portal.intake.labels import KEEP_IN_TOUCH_VERSION
from portal.intake.models import Enquiry, EnquiryEvent, ReferenceCounter
from portal.intake.routing import RoutingRule
from portal.intake.services import add_information, submit_enquiry, withdraw_consent
from portal.outbox import queueing
from portal.outbox.models import OutboxMessage
from tests.factories import make_staff
from tests.intake.enquiry_builders import service_values

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _submit(nonce="nonce-1", lang="nb", spam_reasons=(), **overrides) -> Enquiry:
    return submit_enquiry(
        **service_values(**overrides),
        lang=lang,
        source="site",
        nonce=nonce,
        spam_reasons=spam_reasons,
    )


def test_submit_stores_the_enquiry_with_its_event_and_two_emails(app):
    with time_machine.travel(MONDAY, tick=False):
        enquiry = _submit(lang="nn", source_page="https://www.usn.no/sesam")
    db.session.expire_all()
    stored = db.session.get(Enquiry, enquiry.id)
    assert stored.reference == "SESAM-2026-0001"
    assert stored.status == "new" and stored.spam_reasons is None
    assert stored.lang == "nn" and stored.source == "site"
    assert stored.source_page == "https://www.usn.no/sesam"
    assert stored.privacy_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert stored.first_response_due == date(2026, 3, 5)
    assert len(stored.public_id) == 32 and stored.form_nonce == "nonce-1"
    assert stored.created_at == MONDAY
    events = db.session.scalars(select(EnquiryEvent)).all()
    assert [(e.enquiry_id, e.kind, e.actor_id) for e in events] == [(enquiry.id, "received", None)]
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.recipient, m.lang, m.status) for m in mails] == [
        ("receipt", "kari@example.org", "nn", "pending"),
        ("staff_notice", "staff@example.org", "nb", "pending"),
    ]
    assert all(m.enquiry_id == enquiry.id for m in mails)


def _written(kind: str) -> OutboxMessage:
    """The one ``kind`` message, as the outbox holds it."""
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).one()


def test_the_arrival_mails_are_written_in_the_enquiry_s_own_transaction(app):
    _submit()
    db.session.rollback()  # nothing was left open: what follows is what was committed
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.template, m.status) for m in mails] == [
        ("receipt", "pending"),
        ("staff_notice", "pending"),
    ]
    assert all(m.subject and m.body_text and m.body_html for m in mails)
    assert all(m.message_id.startswith("<") for m in mails)  # fixed now, the same on any resend


def test_a_broken_template_fails_its_message_but_keeps_the_enquiry(app, monkeypatch):
    def broken(template, lang, /, **context):
        raise ValueError("email/receipt.nb.txt renders an empty subject")

    monkeypatch.setattr(queueing, "render_message", broken)
    enquiry = _submit()
    db.session.expire_all()
    assert db.session.get(Enquiry, enquiry.id).reference == enquiry.reference
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.status for m in mails] == ["failed", "failed"]
    assert all("renders an empty subject" in m.last_error for m in mails)
    assert all(m.enquiry_id == enquiry.id for m in mails)  # on its timeline, where staff look


def test_receipt_holds_reference_choices_and_status_link_never_free_text(app):
    enquiry = _submit(
        lang="en",
        name="Mallory <mallory@evil.example>",
        organisation="Click https://evil.example now",
        message="Line one\nYour account is blocked: https://evil.example/login",
        accessibility_needs="Visit evil.example",
    )
    receipt = _written("receipt")
    assert enquiry.reference in receipt.subject
    assert receipt.reply_to is None  # no INBOUND_ADDRESS: no Reply-To (SPEC, the conversation)
    for text in (receipt.subject, receipt.body_text, receipt.body_html):
        assert "evil" not in text and "Mallory" not in text and "Line one" not in text
    for text in (receipt.body_text, receipt.body_html):
        assert "Hello!" in text
        assert "http://127.0.0.1:5000/en/contact/case/" in text
        assert "sesam@example.org" in text
        assert "Support with co-creation in our work" in text  # the code, as translated words
        assert "What you wrote is on the private link above." in text


@pytest.mark.parametrize(("lang", "greeting"), [("nb", "Hei!"), ("nn", "Hei!"), ("en", "Hello!")])
def test_the_receipt_greets_without_a_name(app, lang, greeting):
    _submit(lang=lang, name="Kari Nordmann")
    receipt = _written("receipt")
    assert receipt.body_text.split("\n", 1)[0] == greeting and "Kari" not in receipt.body_text


def test_an_address_gets_at_most_three_receipts_a_day(app):
    app.config["RECEIPT_RATE_LIMIT"] = "3 per day"  # the default
    for number in range(5):
        _submit(
            nonce=f"nonce-{number}",
            email="Target@Example.org" if number % 2 else "target@example.org",
            # each a different text: the same text again would just return the first enquiry
            problem=f"Enquiry number {number} about loneliness after the bus routes closed.",
        )
    receipts = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "receipt")
    ).all()
    assert len(receipts) == 3
    assert db.session.scalar(select(func.count()).select_from(Enquiry)) == 5  # all kept
    _submit(nonce="nonce-other", email="someone.else@example.org")
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "receipt")
        )
        == 4
    )


def test_receipt_is_in_the_enquirers_language(app):
    _submit(lang="nn")
    receipt = _written("receipt")
    assert receipt.subject.startswith("Vi har fått førespurnaden din")
    assert "Støtte til samskaping i arbeidet vårt" in receipt.body_text
    assert "Namnet ditt" not in receipt.body_text  # free text stays on the status page


def test_staff_notice_links_to_the_inbox(app):
    enquiry = _submit()
    notice = _written("staff_notice")
    assert f"http://127.0.0.1:5000/inbox/enquiries/{enquiry.id}" in notice.body_text
    assert enquiry.reference in notice.subject
    assert "lonely" not in notice.body_text  # the problem text stays in the inbox


def test_no_staff_notice_without_staff_address(app):
    app.config["STAFF_NOTIFY_EMAIL"] = None
    _submit()
    assert db.session.scalars(select(OutboxMessage.kind)).all() == ["receipt"]


def test_hostile_text_is_escaped_in_the_html_email(app):
    _submit(name='<script>alert("x")</script>', organisation='<script>alert("x")</script>')
    notice = _written("staff_notice")
    assert "<script>" not in notice.body_html
    assert "&lt;script&gt;" in notice.body_html
    assert '<script>alert("x")</script>' in notice.body_text
    assert "alert" not in _written("receipt").body_html  # the receipt carries neither


def test_line_breaks_in_a_name_never_reach_a_mail_header(app):
    _submit(name="Kari\r\nBcc: victim@example.org")
    for message in db.session.scalars(select(OutboxMessage)):
        for header in (message.recipient, message.subject, message.reply_to or ""):
            assert "\r" not in header and "\n" not in header
        assert "victim@example.org" not in message.recipient


def test_spam_is_stored_but_sends_nothing(app):
    enquiry = _submit(spam_reasons=["honeypot", "too_fast"])
    assert enquiry.status == "spam"
    assert enquiry.spam_reasons == "honeypot,too_fast"
    assert _count(Enquiry) == 1
    assert _count(OutboxMessage) == 0
    assert _count(EnquiryEvent) == 1


def test_consent_is_recorded_only_when_ticked(app):
    with time_machine.travel(MONDAY, tick=False):
        ticked = _submit(nonce="a", keep_in_touch=True)
        unticked = _submit(nonce="b", keep_in_touch=False, problem="Another problem, long enough.")
    assert ticked.keep_in_touch is True
    assert ticked.keep_in_touch_text_version == KEEP_IN_TOUCH_VERSION
    assert ticked.keep_in_touch_at == MONDAY
    assert unticked.keep_in_touch is False
    assert unticked.keep_in_touch_text_version is None and unticked.keep_in_touch_at is None


def test_an_error_while_enqueueing_rolls_everything_back(app, monkeypatch):
    def broken_mail(*args):
        raise RuntimeError("template missing")

    monkeypatch.setattr(mail, "enqueue_arrival_mail", broken_mail)
    with pytest.raises(RuntimeError):
        _submit()
    assert _count(Enquiry) == 0
    assert _count(EnquiryEvent) == 0
    assert _count(ReferenceCounter) == 0
    monkeypatch.undo()
    assert _submit(nonce="again").reference.endswith("-0001")


@pytest.mark.postgres
def test_a_row_the_database_refuses_stores_nothing_and_gives_the_number_back(app, monkeypatch):
    # One unit of work: an outbox row PostgreSQL refuses (a Message-ID over its 200
    # characters) undoes the enquiry, its events and its number.
    monkeypatch.setattr(queueing, "new_message_id", lambda: "<" + "x" * 250 + ">")
    with pytest.raises(DataError):
        _submit()
    assert (_count(Enquiry), _count(EnquiryEvent), _count(OutboxMessage)) == (0, 0, 0)
    assert _count(ReferenceCounter) == 0
    monkeypatch.undo()
    assert _submit(nonce="again").reference.endswith("-0001")


def test_the_ten_thousandth_enquiry_of_a_year_gets_five_digits(app):
    db.session.add(ReferenceCounter(year=2026, last=9998))
    db.session.commit()
    with time_machine.travel(MONDAY, tick=False):
        first = _submit(nonce="a")
        second = _submit(nonce="b", problem="Another problem, described in enough words.")
    assert [first.reference, second.reference] == ["SESAM-2026-9999", "SESAM-2026-10000"]
    db.session.expire_all()
    stored = db.session.get(Enquiry, second.id)
    assert (stored.reference, stored.ref_year, stored.ref_seq) == ("SESAM-2026-10000", 2026, 10000)


def _routed_to(staff: StaffUser, enquiry_type: str = "co_creation_support") -> None:
    db.session.add(RoutingRule(enquiry_type=enquiry_type, assignee_id=staff.id))
    db.session.commit()


def test_a_routed_enquiry_is_stored_with_two_events_and_three_mails(app):
    kari = make_staff(lang="en")
    _routed_to(kari)
    enquiry = _submit(lang="nn")
    db.session.expire_all()
    assert db.session.get(Enquiry, enquiry.id).assignee_id == kari.id
    events = db.session.scalars(select(EnquiryEvent).order_by(EnquiryEvent.id)).all()
    assert [(e.enquiry_id, e.kind, e.after) for e in events] == [
        (enquiry.id, "received", None),
        (enquiry.id, "routed", kari.name),
    ]
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.recipient, m.lang, m.enquiry_id, m.status) for m in mails] == [
        ("receipt", "kari@example.org", "nn", enquiry.id, "pending"),
        ("staff_notice", "staff@example.org", "nb", enquiry.id, "pending"),
        ("assigned", kari.email, "en", enquiry.id, "pending"),
    ]
    assert len({m.message_id for m in mails}) == 3
    notice = _written("assigned")
    assert enquiry.reference in notice.subject and kari.name in notice.body_text
    assert f"http://127.0.0.1:5000/inbox/enquiries/{enquiry.id}" in notice.body_text


def test_a_notice_greets_its_recipient_though_the_enquiry_was_reassigned_before_delivery(app):
    """The routed notice was once written by the worker from the *current* assignee: reassigned
    before delivery, A was told "Hello B, ... is now yours". Each notice now says what was
    true when it was queued, to the person it goes to."""
    ada = make_staff(name="Ada Lovelace", email="ada@example.org", lang="en")
    bo = make_staff(name="Bo Bakke", email="bo@example.org", lang="nb")
    cy = make_staff(name="Cy Dahl", email="cy@example.org", lang="nn", role="admin")
    _routed_to(ada)
    enquiry = _submit()
    inbox_services.assign(enquiry.id, bo.id, actor_id=cy.id)  # before any worker ran
    db.session.expire_all()
    notices = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "assigned").order_by(OutboxMessage.id)
    ).all()
    greetings = {"en": "Hello {}", "nb": "Hei {}", "nn": "Hei {}"}
    staff_by_email = {person.email: person for person in (ada, bo, cy)}
    assert [notice.recipient for notice in notices] == ["ada@example.org", "bo@example.org"]
    for notice in notices:
        recipient = staff_by_email[notice.recipient]
        assert notice.lang == recipient.lang
        for body in (notice.body_text, notice.body_html):
            assert greetings[recipient.lang].format(recipient.name) in body
            others = set(staff_by_email) - {notice.recipient}
            assert not any(f"{staff_by_email[o].name}," in body for o in others)
    assert "Cy Dahl" in notices[1].body_text  # who gave it to Bo


def test_a_replayed_nonce_returns_the_original_enquiry(app):
    first = _submit(nonce="same")
    second = _submit(nonce="same", problem="Something entirely different this time.")
    assert second.id == first.id
    assert _count(Enquiry) == 1
    assert _count(OutboxMessage) == 2


def test_two_racing_requests_with_one_nonce_store_one_enquiry(app):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results.append(_submit(nonce="raced").id)
                db.session.remove()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    db.session.remove()
    assert _count(Enquiry) == 1
    assert _count(OutboxMessage) == 2


def test_unknown_fields_are_refused(app):
    with pytest.raises(TypeError):
        submit_enquiry(**service_values(), status="agreed", lang="nb", source="site", nonce="x")
    assert _count(Enquiry) == 0


def test_logs_hold_no_field_values(app, caplog):
    caplog.set_level(logging.DEBUG)
    values = service_values(
        name="Ingrid Secretname",
        email="ingrid.secret@example.org",
        problem="A very private description of the problem.",
    )
    enquiry = submit_enquiry(**values, lang="nb", source="site", nonce="logged")
    add_information(enquiry, "Private addition")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert enquiry.reference in logged
    for secret in ("Secretname", "ingrid.secret", "private description", "Private addition"):
        assert secret not in logged


def _staff(name="Ola Nordmann", email="ola@example.org", lang="nn", active=True) -> StaffUser:
    user = StaffUser(email=email, name=name, role="staff", lang=lang, active=active)
    db.session.add(user)
    db.session.flush()
    return user


def test_added_information_is_an_event_and_a_notice_to_staff(app):
    enquiry = _submit()
    event = add_information(enquiry, "We have found funding now.")
    assert (event.kind, event.body, event.actor_id) == (
        "enquirer_added",
        "We have found funding now.",
        None,
    )
    notice = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "enquirer_added")
    ).one()
    assert notice.recipient == "staff@example.org"
    assert enquiry.reference in notice.subject
    assert "We have found funding" not in notice.body_text


def test_added_information_goes_to_the_assignee(app):
    enquiry = _submit()
    enquiry.assignee = _staff()
    db.session.commit()
    add_information(enquiry, "More details.")
    notice = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "enquirer_added")
    ).one()
    assert (notice.recipient, notice.lang) == ("ola@example.org", "nn")
    assert "Hei Ola," in notice.body_text


def test_added_information_on_spam_notifies_nobody(app):
    enquiry = _submit(spam_reasons=["pattern"])
    add_information(enquiry, "Hello")
    assert _count(OutboxMessage) == 0
    assert _count(EnquiryEvent) == 2


def test_empty_information_is_refused(app):
    enquiry = _submit()
    with pytest.raises(ValueError):
        add_information(enquiry, "   ")


def test_withdrawing_consent_records_when(app):
    enquiry = _submit(keep_in_touch=True)
    with time_machine.travel(MONDAY, tick=False):
        assert withdraw_consent(enquiry) is True
    assert enquiry.keep_in_touch_withdrawn_at == MONDAY
    assert enquiry.keep_in_touch_text_version == KEEP_IN_TOUCH_VERSION  # the record stays
    kinds = db.session.scalars(select(EnquiryEvent.kind).order_by(EnquiryEvent.id)).all()
    assert kinds == ["received", "consent_withdrawn"]
    assert withdraw_consent(enquiry) is False


def test_withdrawing_without_consent_changes_nothing(app):
    enquiry = _submit(keep_in_touch=False)
    assert withdraw_consent(enquiry) is False
    assert enquiry.keep_in_touch_withdrawn_at is None
