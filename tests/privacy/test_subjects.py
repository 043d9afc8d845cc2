"""Data-subject requests: the enquirer asks, admins find, export (JSON, readable HTML) and erase."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.extensions import db
from portal.intake.links import case_token
from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.services import submit_enquiry
from portal.outbox.models import OutboxMessage
from portal.privacy import subjects
from tests.factories import make_enquiry
from tests.intake.enquiry_builders import CASE_PREFIX, service_values, token_in
from tests.staff_forms import post

PAGE = "/inbox/admin/privacy/"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _kinds() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)))


def _submitted(lang="nn", **overrides) -> Enquiry:
    with time_machine.travel(T0, tick=False):
        return submit_enquiry(
            **service_values(**overrides),
            lang=lang,
            source="site",
            nonce="n-" + lang,
            spam_reasons=(),
        )


@pytest.mark.parametrize("kind", ["access", "erasure"])
def test_the_enquirer_asks_from_the_status_page(app, kind):
    enquiry = _submitted()
    client = app.test_client()
    with app.test_request_context():
        url = CASE_PREFIX["en"] + case_token(enquiry.public_id)
    token = token_in(client.get(url).get_data(as_text=True))
    with time_machine.travel(T0, tick=False):
        response = client.post(url, data={"form_token": token, "action": kind})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We answer you by email within one month." in page
    [event] = db.session.scalars(select(EnquiryEvent).where(EnquiryEvent.kind == "data_request"))
    assert event.after == kind
    [request] = subjects.open_requests()
    assert (request.reference, request.kind, request.due_on.isoformat()) == (
        enquiry.reference,
        kind,
        "2026-04-02",
    )
    assert "privacy.request" in _kinds()


def test_admins_see_open_requests_with_their_due_date_and_mark_them_answered(client, admin):
    enquiry = _submitted()
    with time_machine.travel(T0, tick=False):
        from portal.intake.services import ask_about_data

        ask_about_data(enquiry, "access")
    html = client.get(PAGE).get_data(as_text=True)
    assert enquiry.reference in html and "2. apr. 2026" in html and "Over fristen" in html
    response = post(client, PAGE + f"requests/{enquiry.id}/answered", page=PAGE)
    assert response.status_code == 303
    assert subjects.open_requests() == []
    assert "Ingen åpne forespørsler." in client.get(PAGE).get_data(as_text=True)
    assert _kinds()[-1] == "privacy.request_answered"


def test_only_admins_reach_the_page(client, staff):
    assert client.get(PAGE).status_code == 403
    assert client.get(PAGE + "export.json?email=x@example.org").status_code == 403


def test_admins_find_everything_held_about_an_address(client, admin):
    mine = _submitted(email="Kari@Example.org", message="Min hemmelige melding")
    make_enquiry(email="someone.else@example.org")
    html = client.get(PAGE, query_string={"email": " kari@example.ORG "}).get_data(as_text=True)
    assert mine.reference in html and "1 henvendelse fra denne adressen" in html
    assert "someone.else" not in html


def test_the_json_export_holds_the_enquiry_its_timeline_and_mails(client, admin):
    enquiry = _submitted(email="kari@example.org", message="Min hemmelige melding")
    response = client.get(PAGE + "export.json", query_string={"email": "kari@example.org"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    [exported] = data["enquiries"]
    assert (
        exported["reference"] == enquiry.reference
        and exported["message"] == "Min hemmelige melding"
    )
    assert "public_id" not in exported and "form_nonce" not in exported
    assert exported["timeline"][0]["kind"] == "received"
    assert {mail["kind"] for mail in exported["emails"]} >= {"receipt"}
    [audit] = db.session.scalars(select(AuditEntry).where(AuditEntry.kind == "privacy.export"))
    assert (audit.target, audit.detail, audit.actor_id) == (enquiry.reference, "json", admin.id)
    assert "kari@example.org" not in (audit.target or "") + (audit.detail or "")


def test_the_readable_export_is_in_the_requesters_language(client, admin):
    _submitted(lang="nn", email="kari@example.org", message="Min hemmelige melding")
    response = client.get(PAGE + "export.html", query_string={"email": "kari@example.org"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="nn">' in html
    assert "Opplysningane SESAM har om deg" in html and "Min hemmelige melding" in html
    assert "Namnet ditt" in html  # the form's own labels, in Nynorsk


def test_an_unknown_address_exports_nothing(client, admin):
    assert (
        client.get(PAGE + "export.json", query_string={"email": "nobody@x.org"}).status_code == 404
    )
    assert client.get(PAGE + "export.html").status_code == 404


@pytest.mark.parametrize("email", ["", "x" * 255])
def test_a_bad_address_is_a_400_with_the_message(client, admin, email):
    response = client.get(PAGE, query_string={"email": email})
    assert response.status_code == 400 and "error-summary" in response.get_data(as_text=True)


def test_erasure_anonymises_all_but_held_enquiries_and_is_audited(client, admin):
    first = _submitted(email="kari@example.org")
    held = make_enquiry(email="KARI@example.org", hold_kind="legal")
    other = make_enquiry(email="ola@example.org")
    refused = post(client, PAGE + "erase", {"email": "kari@example.org"}, page=PAGE)
    assert refused.status_code == 303
    db.session.expire_all()
    assert not first.is_anonymised  # not confirmed: nothing happened
    response = post(
        client, PAGE + "erase", {"email": "kari@example.org", "confirm": "y"}, page=PAGE
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 henvendelser er anonymisert." in page and held.reference in page
    db.session.expire_all()
    assert first.is_anonymised and first.email == "" and first.name == ""
    assert not held.is_anonymised and not other.is_anonymised
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.enquiry_id == first.id))
    assert {mail.body_text for mail in mails} == {None}
    kinds = _kinds()
    assert "privacy.erasure" in kinds and kinds.count("enquiry.anonymised") == 1
    detail = db.session.scalar(
        select(AuditEntry.detail).where(AuditEntry.kind == "enquiry.anonymised")
    )
    assert detail == "erasure"


def _mail_from(sender: str, subject: str, text: str) -> bytes:
    return (
        f"From: Kari <{sender}>\r\nTo: sesam@example.org\r\nSubject: {subject}\r\n"
        f"Message-ID: <{subject.replace(' ', '-')}@mail.example>\r\n"
        f"Date: Mon, 2 Mar 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{text}\r\n"
    ).encode()


def test_mail_from_the_address_is_found_exported_and_erased(client, admin):
    from portal.conversation.services import ingest

    ingest(_mail_from("Kari@example.org", "Hei der", "Min hemmelige epost"))
    db.session.commit()
    html = client.get(PAGE, query_string={"email": "kari@example.org"}).get_data(as_text=True)
    assert "1 e-post mottatt fra denne adressen" in html
    data = json.loads(
        client.get(PAGE + "export.json", query_string={"email": "kari@example.org"}).get_data(
            as_text=True
        )
    )
    assert [mail["text"].strip() for mail in data["mail_received"]] == ["Min hemmelige epost"]
    post(client, PAGE + "erase", {"email": "kari@example.org", "confirm": "y"}, page=PAGE)
    inbound = db.metadata.tables["inbound_message"]
    db.session.expire_all()
    row = db.session.execute(select(inbound.c.sender, inbound.c.body_text, inbound.c.raw)).one()
    assert tuple(row) == ("", None, None)
