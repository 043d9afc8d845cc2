"""Staff screens for inbound mail: unmatched (attach, suggestion, discard), raw text, downloads,
and the enquirer's mail on the timeline."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.conversation.models import InboundAttachment, InboundMessage
from portal.conversation.services import ingest
from portal.extensions import db
from portal.intake.models import EnquiryEvent
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry
from tests.staff_forms import post

UNMATCHED = "/inbox/mail/unmatched"


def _row(inbound_id: int) -> InboundMessage:
    db.session.expire_all()
    return db.session.get(InboundMessage, inbound_id)


def test_unmatched_mail_needs_a_signed_in_account(client):
    assert client.get(UNMATCHED).status_code in (302, 303)


def test_a_suggestion_is_attached_with_one_click_and_recorded(client, staff):
    enquiry = make_enquiry(email="kari@example.org")
    outcome = ingest(eml("subject_only", reference=enquiry.reference))
    page = client.get(UNMATCHED).get_data(as_text=True)
    assert f"Knytt til {enquiry.reference}" in page and "Når kan vi snakke sammen?" in page
    response = post(
        client,
        f"/inbox/mail/{outcome.inbound_id}/attach",
        {f"mail{outcome.inbound_id}-reference": enquiry.reference},
        page=UNMATCHED,
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/inbox/enquiries/{enquiry.id}")
    row = _row(outcome.inbound_id)
    assert row.state == "attached" and row.decided_by_id == staff.id and row.decided_at
    [event] = db.session.scalars(
        select(EnquiryEvent).where(EnquiryEvent.kind == "enquirer_mail")
    ).all()
    assert event.actor_id == staff.id
    detail = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert "Når kan vi snakke sammen?" in detail and "kari@example.org" in detail


@pytest.mark.parametrize("typed", ["", "SESAM-1", "SESAM-2026-99999"])
def test_a_wrong_reference_comes_back_with_a_translated_error_and_the_text_kept(
    client, staff, typed
):
    outcome = ingest(eml("forged_subject", reference="SESAM-2026-00001"))
    response = post(
        client,
        f"/inbox/mail/{outcome.inbound_id}/attach",
        {f"mail{outcome.inbound_id}-reference": typed},
        page=UNMATCHED,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skriv et saksnummer som" in html or "Ingen henvendelse har det saksnummeret." in html
    assert f'value="{typed}"' in html or not typed
    assert _row(outcome.inbound_id).state == "unmatched"


def test_discarding_keeps_the_mail_and_who_did_it(client, staff):
    outcome = ingest(eml("forged_subject"))
    response = post(client, f"/inbox/mail/{outcome.inbound_id}/discard", page=UNMATCHED)
    assert response.status_code == 303
    row = _row(outcome.inbound_id)
    assert row.state == "discarded" and row.decided_by_id == staff.id
    assert "Please change the contact" not in client.get(UNMATCHED).get_data(as_text=True)
    again = post(client, f"/inbox/mail/{outcome.inbound_id}/discard", page=UNMATCHED)
    assert again.status_code == 404


def test_the_raw_message_is_plain_text_and_attachments_only_download(client, staff):
    enquiry = make_enquiry(email="per@example.org")
    receipt = receipt_of(enquiry)
    outcome = ingest(eml("outlook_winmail_attachments", thread=receipt.message_id))
    raw = client.get(f"/inbox/mail/{outcome.inbound_id}/raw")
    assert raw.mimetype == "text/plain" and raw.headers["X-Content-Type-Options"] == "nosniff"
    assert "Message-ID: <winmail-" in raw.get_data(as_text=True)
    files = {a.filename: a.id for a in db.session.scalars(select(InboundAttachment)).all()}
    pdf = client.get(f"/inbox/mail/attachments/{files['prosjekt.pdf']}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="prosjekt.pdf"'
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.mimetype == "application/octet-stream"
    assert client.get(f"/inbox/mail/attachments/{files['winmail.dat']}").status_code == 404
    detail = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert "prosjekt.pdf" in detail and "winmail.dat" in detail and "ikke tatt vare på" in detail


def test_an_out_of_office_reply_shows_quietly_on_the_timeline(client, staff):
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    ingest(eml("out_of_office", thread=receipt.message_id))
    detail = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert "Et automatisk svar kom tilbake (ingen ble varslet)" in detail


def test_waiting_for_us_shows_in_the_list_and_filters_it(client, staff):
    waiting = make_enquiry(email="kari@example.org", name="Kari Venter")
    make_enquiry(email="ola@example.org", name="Ola Ferdig")
    ingest(eml("gmail_nb_reply", thread=receipt_of(waiting).message_id))
    listing = client.get("/inbox/?waiting=y").get_data(as_text=True)
    assert "Kari Venter" in listing and "Ola Ferdig" not in listing
    assert "Venter på oss" in listing
    everything = client.get("/inbox/").get_data(as_text=True)
    assert "Ola Ferdig" in everything
