"""The enquirer's status page shows the conversation, never internal notes; a replayed answer
adds nothing twice."""

from __future__ import annotations

from sqlalchemy import select

from portal.conversation.services import ingest
from portal.extensions import db
from portal.inbox import replies, services
from portal.intake.links import case_token
from portal.intake.models import Enquiry, EnquiryEvent
from tests.conversation.support import eml, receipt_of
from tests.factories import make_enquiry, make_staff
from tests.intake.enquiry_builders import CASE_PREFIX, token_in


def _url(app, enquiry: Enquiry, lang: str = "nb") -> str:
    with app.test_request_context():
        return CASE_PREFIX[lang] + case_token(enquiry.public_id)


def test_the_status_page_shows_the_dialogue_in_order_without_notes(app, client):
    staff = make_staff(name="Sara Saksbehandler")
    enquiry = make_enquiry(email="kari@example.org")
    receipt = receipt_of(enquiry)
    replies.reply(enquiry.id, "Kan vi møtes neste uke?", staff.id)
    ingest(eml("gmail_nb_reply", thread=receipt.message_id))
    ingest(eml("out_of_office", thread=receipt.message_id))
    services.add_note(enquiry.id, "Intern: ring NAV først.", staff.id)
    page = client.get(_url(app, enquiry)).get_data(as_text=True)
    sent = page.index(enquiry.problem)
    answered = page.index("Sara i SESAM svarte")
    mail = page.index("Du svarte på e-post")
    assert sent < answered < page.index("Kan vi møtes neste uke?") < mail
    assert page.index("Tusen takk! Vi kan møtes på tirsdag") > mail
    assert "Intern: ring NAV først." not in page
    assert "Jeg er på ferie" not in page


def test_a_replayed_answer_on_the_status_page_is_added_once(app, client):
    enquiry = make_enquiry(email="kari@example.org")
    url = _url(app, enquiry, "en")
    data = {"form_token": token_in(client.get(url).get_data(as_text=True))}
    data.update(information="Vi er 12 personer.", action="add")
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    added = db.session.scalars(
        select(EnquiryEvent).where(EnquiryEvent.kind == "enquirer_added")
    ).all()
    assert [event.body for event in added] == ["Vi er 12 personer."]
    db.session.expire_all()
    assert db.session.get(Enquiry, enquiry.id).waiting_since is not None
    page = client.get(url).get_data(as_text=True)
    assert page.count("Vi er 12 personer.") == 1 and "You added information" in page
