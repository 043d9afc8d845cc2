"""The form with htmx: fragments, Vary, HX-Redirect, the field endpoint, refusals swapped in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.intake.forms import VALIDATED_ON_BLUR
from portal.intake.models import Enquiry
from tests.intake.enquiry_builders import answers, fresh_token, submit


def test_form_fragment_has_no_page_around_it(hx):
    response = submit(hx, "en", problem="short")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and "<header" not in page
    assert page.lstrip().startswith("<form")
    assert 'class="error-summary"' in page and "data-focus" in page
    assert "HX-Request" in response.headers["Vary"]


def test_full_page_also_varies_on_hx_request(client):
    response = client.get("/en/contact")
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_success_answers_htmx_with_hx_redirect_to_the_receipt(hx):
    response = submit(hx, "nn")
    assert response.status_code == 200
    assert urlsplit(response.headers["HX-Redirect"]).path == "/nn/kontakt/motteke"
    assert "Set-Cookie" not in response.headers
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Enquiry)) == 1


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [({"token": "forged"}, 400), ({"headers": {"Sec-Fetch-Site": "cross-site"}}, 403)],
)
def test_refusals_come_back_as_fragments_htmx_can_swap(hx, kwargs, status):
    response = submit(hx, "en", **kwargs)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert page.lstrip().startswith("<form") and "<html" not in page
    assert 'value="Kari Nordmann"' in page


def test_field_endpoint_returns_one_field_with_its_error(client):
    data = answers(email="not-an-email")
    response = client.post("/en/contact/field/email", data=data, headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.strip().startswith('<div class="field field--error" id="email-field">')
    assert "Enter an email address in the right format" in page
    assert 'value="not-an-email"' in page
    assert 'id="name-field"' not in page and "<html" not in page
    assert "Set-Cookie" not in response.headers


def test_field_endpoint_clears_the_error_once_the_field_is_right(client):
    page = client.post("/kontakt/felt/email", data=answers()).get_data(as_text=True)
    assert 'class="field" id="email-field"' in page
    assert "field__error" not in page


def test_field_endpoint_judges_a_field_by_the_rest_of_the_form(client):
    needs_org = answers(organisation="", organisation_type="ngo")
    private = answers(organisation="", organisation_type="private")
    assert "field__error" in client.post("/en/contact/field/organisation", data=needs_org).text
    assert "field__error" not in client.post("/en/contact/field/organisation", data=private).text


def test_field_endpoint_speaks_the_pages_language(client):
    page = client.post("/nn/kontakt/felt/name", data=answers(name="")).get_data(as_text=True)
    assert "Skriv namnet ditt." in page


@pytest.mark.parametrize("name", ["form_token", "website", "keep_in_touch", "status", "x"])
def test_field_endpoint_serves_only_the_visible_text_fields(client, name):
    assert name not in VALIDATED_ON_BLUR
    assert client.post(f"/en/contact/field/{name}", data=answers()).status_code == 404


def test_field_endpoint_refuses_get(client):
    assert client.get("/en/contact/field/email").status_code == 405


def test_field_inputs_carry_their_htmx_validation(client):
    page = client.get("/en/contact").get_data(as_text=True)
    for name in VALIDATED_ON_BLUR:
        assert f'hx-post="/en/contact/field/{name}"' in page, name
    assert 'hx-disabled-elt="find button[type=submit]"' in page
    assert 'hx-post="/en/contact"' in page and 'action="/en/contact"' in page


def test_form_page_loads_htmx_with_a_strict_config(client):
    page = client.get("/kontakt").get_data(as_text=True)
    assert 'name="htmx-config"' in page and '"allowEval":false' in page
    assert "vendor/htmx.min.js" in page
    assert '"code":"(400|403|409|413|422|429|503)","swap":true' in page


def test_a_token_from_one_language_works_in_another(client):
    token = fresh_token(client, "nb")
    assert submit(client, "en", token=token).status_code == 303
