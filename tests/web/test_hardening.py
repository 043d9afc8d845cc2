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


ENQUIRY = "/inbox/enquiries/{}"


@pytest.mark.parametrize(
    "number", ["9999999999999999999", "99999999999999999999", "2147483648", "١٢", "²"]
)
@pytest.mark.parametrize(
    "path", ["/inbox/enquiries/{}", "/inbox/admin/templates/{}", "/inbox/admin/users/{}"]
)
def test_ids_beyond_the_database_or_in_other_digits_are_404(app, client, login, path, number):
    login(client, role="admin")
    assert client.get(path.format(number)).status_code == 404


def test_a_huge_id_in_a_post_path_is_404(app, client, login):
    from tests.staff_forms import post

    login(client)
    assert (
        post(client, "/inbox/views/9999999999999999999/delete", page="/inbox/").status_code == 404
    )


@pytest.mark.parametrize("value", ["9999999999999999999", "١", "-1", "x"])
def test_a_bad_template_parameter_is_ignored(app, client, login, value):
    from tests.factories import make_enquiry

    login(client)
    enquiry = make_enquiry()
    assert (
        client.get(ENQUIRY.format(enquiry.id), query_string={"template": value}).status_code == 200
    )


@pytest.mark.parametrize(
    "args",
    [
        {"received_from": "0001-01-01"},
        {"received_to": "9999-12-31"},
        {"received_from": "0001-01-01", "received_to": "9999-12-31"},
        {"received_from": "٢٠٢٦-٠١-٠١"},
        {"after": "9999999999999999999"},
        {"after": "١٢٣"},
    ],
)
def test_list_parameters_at_the_ends_of_the_calendar_are_no_500(app, client, login, args):
    from tests.factories import make_enquiry

    login(client)
    enquiry = make_enquiry()
    for path in ("/inbox/", "/inbox/export.csv"):
        response = client.get(path, query_string=args)
        assert response.status_code in (200, 400), (path, args)
    if "received_from" in args and args["received_from"] == "0001-01-01" and len(args) == 1:
        assert enquiry.reference in client.get("/inbox/", query_string=args).get_data(as_text=True)
