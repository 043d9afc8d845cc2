"""The receipt: the (masked) address the confirmation goes to, only when one was queued, and what
to do if it is wrong; the same text sent again from the same address shows the first receipt;
the receipt mail's short status link."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.intake.handling import masked_address
from portal.intake.models import Enquiry
from portal.outbox.models import OutboxMessage
from tests.intake.enquiry_builders import submit

WRONG = {
    "nb": "Er adressen feil, når ikke lenken fram til deg",
    "nn": "Er adressa feil, kjem ikkje lenkja fram til deg",
    "en": "If that address is wrong, the link will not reach you",
}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("kari.nordmann@example.org", "ka•••@example.org"),
        ("ola@bø.kommune.no", "o•••@bø.kommune.no"),
        ("x@example.org", "x•••@example.org"),
        ("", None),
        (None, None),
        ("not-an-address", None),
    ],
)
def test_receipt_masks_the_address(address, masked):
    assert masked_address(address) == masked


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_receipt_names_the_masked_address_and_what_to_do(app, client, lang):
    app.config["CONTACT_EMAIL"] = "sesam@example.org"
    response = submit(client, lang, email="Kari.Nordmann@example.org")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ka•••@example.org" in page
    assert "Kari.Nordmann" not in page
    assert WRONG[lang] in page
    assert '<a href="mailto:sesam@example.org">' in page
    # Nothing on the receipt can send the status link elsewhere (SECURITY: a receipt link
    # must never let someone else redirect the status link).
    receipt = re.search(r"<main.*</main>", page, re.S).group(0)
    assert "<form" not in receipt and 'name="email"' not in receipt


def test_receipt_without_contact_address_says_send_again(app, client):
    app.config["CONTACT_EMAIL"] = None
    page = client.get(submit(client, "en").headers["Location"]).get_data(as_text=True)
    assert "send the form again with the right address." in page
    assert "mailto:" not in page


def test_receipt_of_spam_names_no_address(client):
    response = submit(client, "en", website="https://spam.example")  # the honeypot: no mail
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We are sending a receipt" not in page
    assert "•••@" not in page


def test_same_text_from_the_same_address_shows_the_first_receipt(client):
    first = submit(client, "en")
    again = submit(client, "en")  # a second press of send, a reload, another tab
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(Enquiry) == 1
    receipts = (
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "receipt")
    )
    assert db.session.scalar(receipts) == 1


def test_same_text_from_the_same_address_in_other_case_is_the_same_sender(client):
    first = submit(client, "en", email="kari@example.org")
    again = submit(client, "en", email="Kari@Example.org")
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(Enquiry) == 1


def test_same_text_from_another_address_is_still_spam(client):
    submit(client, "en", email="kari@example.org")
    other = submit(client, "en", email="ola@example.org")
    assert other.status_code == 303
    statuses = db.session.scalars(select(Enquiry.status).order_by(Enquiry.id)).all()
    assert statuses == ["new", "spam"]


def test_other_text_from_the_same_address_is_a_new_enquiry(client):
    submit(client, "en")
    submit(client, "en", problem="Young people leave the valley and the youth club has closed.")
    assert _count(Enquiry) == 2


def test_receipt_mail_links_the_status_page_in_short_words(client):
    submit(client, "en")
    receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "receipt")).one()
    url = re.search(r"http://127\.0\.0\.1:5000/en/contact/case/\S+", receipt.body_text).group(0)
    assert f"\n{url}\n" in receipt.body_text  # the text part: the address on its own line
    assert f'<a href="{url}"><strong>Open your status page</strong></a>' in receipt.body_html
    assert f">{url}<" not in receipt.body_html  # never the long address as the link's text
