"""Hardening from the independent probe: mailto links, invisible format characters."""

from __future__ import annotations

import pytest

from portal.intake.validation import without_format_characters
from portal.web.urls import mailto_url


@pytest.mark.parametrize(
    ("address", "href"),
    [
        ("kari@example.org", "mailto:kari@example.org"),
        (
            "x?cc=boss@evil.example&body=hi@example.org",
            "mailto:x%3Fcc%3Dboss%40evil.example%26body%3Dhi@example.org",
        ),
        ("a b@example.org", "mailto:a%20b@example.org"),
        ("no-at-sign", "mailto:no-at-sign"),
    ],
)
def test_mailto_links_percent_encode_the_address(address, href):
    assert mailto_url(address) == href


def test_format_characters_are_stripped():
    assert without_format_characters("Kari\u202eNordmann\u200b\ufeff") == "KariNordmann"
    assert without_format_characters("Åse Ødegård") == "Åse Ødegård"
    assert without_format_characters(None) is None


def test_the_form_strips_format_characters_from_name_and_organisation(make_app):
    from sqlalchemy import select

    from portal.extensions import db
    from portal.intake.models import Enquiry
    from tests.intake.enquiry_builders import submit

    app = make_app(FORM_MIN_FILL_SECONDS=0)
    client = app.test_client()
    response = submit(client, "en", name="Kari\u202eNordmann", organisation="Bø\u200b kommune")
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.execute(select(Enquiry.name, Enquiry.organisation)).one()
    assert tuple(stored) == ("KariNordmann", "Bø kommune")


def test_the_detail_page_links_the_address_exactly(app, client, login):
    from tests.factories import make_enquiry

    login(client)
    enquiry = make_enquiry(email="x?cc=boss@evil.example&body=hi@example.org")
    html = client.get(f"/inbox/enquiries/{enquiry.id}").get_data(as_text=True)
    assert 'href="mailto:x%3Fcc%3Dboss%40evil.example%26body%3Dhi@example.org"' in html
