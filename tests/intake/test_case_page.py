"""The enquirer's status page: private link, plain-words status, adding information, consent."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.intake.links import case_token
from portal.intake.models import Enquiry, EnquiryEvent
from portal.intake.services import submit_enquiry
from portal.outbox.models import OutboxMessage
from tests.intake.enquiry_builders import CASE_PREFIX, service_values, token_in
from tests.tampering import tampered

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _enquiry(**overrides) -> Enquiry:
    spam = overrides.pop("spam_reasons", ())
    with time_machine.travel(T0, tick=False):
        return submit_enquiry(
            **service_values(**overrides),
            lang="nb",
            source="site",
            nonce="case-nonce",
            spam_reasons=spam,
        )


def _url(app, enquiry: Enquiry, lang: str = "en") -> str:
    with app.test_request_context():
        return CASE_PREFIX[lang] + case_token(enquiry.public_id)


def _post(client, url: str, headers=None, **data):
    page = client.get(url).get_data(as_text=True)
    data.setdefault("form_token", token_in(page))
    return client.post(url, data=data, headers=headers or {})


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nb", ["Mottatt", "2. mars 2026", "Ingen er satt på saken ennå."]),
        ("nn", ["Motteke", "2. mars 2026", "Ingen er sett på saka enno."]),
        ("en", ["Received", "March 2, 2026", "Nobody has been assigned yet."]),
    ],
)
def test_status_page_shows_reference_date_and_status_in_plain_words(app, client, lang, words):
    enquiry = _enquiry()
    response = client.get(_url(app, enquiry, lang))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert enquiry.reference in page
    for word in words:
        assert word in page
    assert "Set-Cookie" not in response.headers
    assert "kari@example.org" not in page


@pytest.mark.parametrize(
    ("status", "word"),
    [
        ("triaged", "Being reviewed"),
        ("in_dialogue", "In dialogue"),
        ("agreed", "Collaboration agreed"),
        ("declined", "Declined"),
        ("closed", "Closed"),
        ("spam", "Received"),
    ],
)
def test_every_status_reads_in_plain_words_and_spam_reads_as_received(app, client, status, word):
    enquiry = _enquiry()
    enquiry.status = status
    db.session.commit()
    page = client.get(_url(app, enquiry)).get_data(as_text=True)
    facts = re.search(r'<dl class="case-facts">.*?</dl>', page, re.S).group(0)
    assert f"<dd>{word}</dd>" in facts
    assert "spam" not in page.lower()


def test_status_page_shows_what_the_enquirer_sent(app, client):
    """The receipt carries no free text; the private status page shows it instead."""
    enquiry = _enquiry(message="Ring meg\netter klokka ti", organisation="Bø kommune")
    page = client.get(_url(app, enquiry, "en")).get_data(as_text=True)
    assert "What you sent us" in page
    assert "Ring meg<br>etter klokka ti" in page and "Bø kommune" in page
    assert "Support with co-creation in our work" in page


def test_status_page_names_the_assignee_by_first_name_only(app, client):
    enquiry = _enquiry()
    enquiry.assignee = StaffUser(email="ola@example.org", name="Ola Nordmann", role="staff")
    db.session.commit()
    page = client.get(_url(app, enquiry)).get_data(as_text=True)
    assert "<dd>Ola</dd>" in page
    assert "Nordmann" not in page and "ola@example.org" not in page


@pytest.mark.parametrize("token", ["x", "SESAM-2026-0001", "1", "ImFiYyI.bad-signature", "a" * 200])
def test_a_wrong_token_is_a_plain_404(app, client, token):
    _enquiry()
    response = client.get(f"/kontakt/sak/{token}")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers


def test_a_valid_signature_of_an_unknown_id_is_404(app, client):
    with app.test_request_context():
        token = case_token("0" * 32)
    assert client.get(f"/en/contact/case/{token}").status_code == 404


def test_a_tampered_status_link_is_a_plain_404(app, client):
    prefix, token = _url(app, _enquiry()).rsplit("/", 1)
    assert client.get(f"{prefix}/{token}").status_code == 200
    assert client.get(f"{prefix}/{tampered(token)}").status_code == 404


def test_adding_information_stores_it_and_tells_staff(app, client):
    enquiry = _enquiry()
    url = _url(app, enquiry)
    response = _post(client, url, information="We found a partner <b>today</b>.", action="add")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("?done=added")
    db.session.remove()
    event = db.session.scalars(
        select(EnquiryEvent).where(EnquiryEvent.kind == "enquirer_added")
    ).one()
    assert event.body == "We found a partner <b>today</b>."
    kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds.count("enquirer_added") == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We have added your information" in page


def test_empty_information_comes_back_with_an_error(app, client):
    enquiry = _enquiry()
    response = _post(client, _url(app, enquiry, "nn"), information="   ", action="add")
    assert response.status_code == 200
    assert "Skriv det du vil leggje til." in response.get_data(as_text=True)


def test_adding_information_needs_the_token_and_our_origin(app, client):
    enquiry = _enquiry()
    url = _url(app, enquiry)
    forged = client.post(url, data={"information": "Forged text", "form_token": "x"})
    assert forged.status_code == 400
    assert "Forged text" in forged.get_data(as_text=True)
    foreign = _post(client, url, headers={"Sec-Fetch-Site": "cross-site"}, information="Hi there")
    assert foreign.status_code == 403
    assert "Hi there" in foreign.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalars(select(EnquiryEvent.kind)).all() == ["received"]


def test_an_old_case_token_renews_and_keeps_the_text(app, client):
    enquiry = _enquiry()
    url = _url(app, enquiry)
    with time_machine.travel(T0, tick=False) as traveller:
        token = token_in(client.get(url).get_data(as_text=True))
        traveller.shift(timedelta(hours=25))
        response = client.post(url, data={"information": "Late text", "form_token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Late text" in page and token_in(page) != token


def test_withdraw_button_shows_only_while_consent_is_given(app, client):
    without = client.get(_url(app, _enquiry())).get_data(as_text=True)
    assert 'value="withdraw"' not in without


def test_withdrawing_consent_from_the_status_page(app, client):
    enquiry = _enquiry(keep_in_touch=True)
    url = _url(app, enquiry)
    assert 'value="withdraw"' in client.get(url).get_data(as_text=True)
    response = _post(client, url, action="withdraw")
    assert response.status_code == 303
    db.session.remove()
    stored = db.session.get(Enquiry, enquiry.id)
    assert stored.keep_in_touch_withdrawn_at is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have withdrawn your consent." in page
    assert 'value="withdraw"' not in page


def test_status_page_posts_are_rate_limited_with_the_text_kept(make_app):
    app = make_app()  # the default SUBMIT_RATE_LIMIT: 5 per minute
    client = app.test_client()
    with app.app_context():
        enquiry = _enquiry()
        url = _url(app, enquiry)
    token = token_in(client.get(url).get_data(as_text=True))
    codes = [
        client.post(url, data={"information": "x", "form_token": "bad"}).status_code
        for _ in range(5)
    ]
    assert codes == [400] * 5
    response = client.post(url, data={"information": "Kept text", "form_token": token})
    assert response.status_code == 429
    assert "Kept text" in response.get_data(as_text=True)


def test_status_page_views_are_rate_limited(app, client):
    url = _url(app, _enquiry())
    codes = [client.get(url).status_code for _ in range(31)]
    assert codes == [200] * 30 + [429]


def test_field_validation_is_rate_limited(client):
    codes = [
        client.post("/en/contact/field/name", data={"name": "x"}).status_code for _ in range(121)
    ]
    assert codes == [200] * 120 + [429]


def test_an_over_large_addition_comes_back_with_what_fitted(app, client):
    enquiry = _enquiry()
    url = _url(app, enquiry, "en")
    token = token_in(client.get(url).get_data(as_text=True))
    text = "Our new budget is ready. " + "z" * 400_000
    response = client.post(url, data={"form_token": token, "action": "add", "information": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "What you sent was larger than we can take" in page
    assert "Our new budget is ready." in page and token_in(page)
    assert "Set-Cookie" not in response.headers
