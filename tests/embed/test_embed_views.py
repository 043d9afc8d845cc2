"""The embed pages over HTTP: intake's form in the frame's chrome, pre-fill, host page, accent."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.intake.models import Enquiry
from tests.embed.embed_support import FORM_PATHS, HOST, RECEIPT_PATHS, hidden_value
from tests.intake.enquiry_builders import answers, token_in

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def app(make_app):
    application = make_app(
        EMBED_ALLOWED_ORIGINS=HOST, FORM_MIN_FILL_SECONDS=0, SUBMIT_RATE_LIMIT="1000 per minute"
    )
    with application.app_context():
        yield application


def _post(client, lang="nb", query="", headers=SAME_ORIGIN, **overrides):
    page = client.get(FORM_PATHS[lang] + query).get_data(as_text=True)
    data = answers(form_token=token_in(page), **overrides)
    return client.post(FORM_PATHS[lang] + query, data=data, headers=headers)


def _enquiries():
    db.session.expire_all()
    return db.session.scalars(select(Enquiry)).all()


@pytest.mark.parametrize(("lang", "path"), FORM_PATHS.items())
def test_embed_form_renders_intake_form_in_minimal_chrome(client, lang, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert page.count("<main") == 1 and page.count("<h1") == 1
    assert 'id="enquiry-form"' in page and 'name="problem"' in page
    assert 'class="site-header"' not in page and 'class="site-footer"' not in page
    assert re.search(r'<a href="[^"]*(personvern|privacy)" target="_blank" rel="noopener">', page)
    assert "js/embed-frame.js" in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'action="{path}"' in page
    assert "Set-Cookie" not in response.headers


def test_embed_prefills_only_the_fields_spec_allows(client):
    query = (
        "?enquiry_type=course_workshop&organisation_type=ngo&organisation=Frivilligsentralen"
        "&region=telemark&phase=designing&name=Eve&email=eve%40example.org"
        "&problem=Prefilled+problem+text+that+is+long&message=hi&keep_in_touch=y"
        "&website=http%3A%2F%2Fspam.example&contact_preference=phone"
    )
    page = client.get(FORM_PATHS["nb"] + query).get_data(as_text=True)
    assert re.search(
        r'value="course_workshop"[^>]*checked|checked[^>]*value="course_workshop"', page
    )
    assert re.search(r'value="ngo"[^>]*checked|checked[^>]*value="ngo"', page)
    assert re.search(r'value="designing"[^>]*checked|checked[^>]*value="designing"', page)
    assert re.search(
        r'<option[^>]*selected[^>]*value="telemark"|<option[^>]*value="telemark"[^>]*selected', page
    )
    assert hidden_value(page, "organisation") == "Frivilligsentralen"
    assert hidden_value(page, "name") in (None, "")
    assert hidden_value(page, "email") in (None, "")
    assert hidden_value(page, "website") in (None, "")
    assert "Prefilled problem text" not in page
    assert not re.search(r'name="keep_in_touch"[^>]*checked', page)
    assert not re.search(r'value="phone"[^>]*checked|checked[^>]*value="phone"', page)


def test_embed_ignores_unknown_codes_in_the_query(client):
    page = client.get(FORM_PATHS["en"] + "?enquiry_type=hack&region=atlantis").get_data(
        as_text=True
    )
    assert not re.search(r'name="enquiry_type"[^>]*checked', page)
    assert "hack" not in page and "atlantis" not in page


@pytest.mark.parametrize(
    ("page_url", "kept"),
    [
        (f"{HOST}/forskning/sesam?kurs=1#skjema", f"{HOST}/forskning/sesam?kurs=1"),
        ("https://evil.example/forskning/sesam", None),
        (f"{HOST}.evil.example/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_embed_keeps_the_host_page_only_for_allowed_origins(client, page_url, kept):
    response = client.get(FORM_PATHS["nb"], query_string={"source_page": page_url})
    page = response.get_data(as_text=True)
    assert hidden_value(page, "source_page") in ((kept,) if kept else (None, ""))
    assert _post(client, source_page=page_url).status_code == 303
    (enquiry,) = _enquiries()
    assert enquiry.source == "embed"
    assert enquiry.source_page == kept
    assert enquiry.source_host == (urlsplit(kept).hostname if kept else None)  # the overview's


def test_embed_tells_only_allowed_hosts_its_height(client):
    allowed = client.get(FORM_PATHS["nb"], query_string={"host_origin": HOST}).get_data(
        as_text=True
    )
    assert f'data-host-origin="{HOST}"' in allowed
    derived = client.get(FORM_PATHS["nb"], query_string={"source_page": f"{HOST}/a"})
    assert f'data-host-origin="{HOST}"' in derived.get_data(as_text=True)
    for foreign in ("https://evil.example", "*", "null", f"{HOST}/path"):
        page = client.get(FORM_PATHS["nb"], query_string={"host_origin": foreign})
        assert "data-host-origin" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accent", "stylesheet"),
    [
        ("#660099", "/embed/theme/660099.css"),
        ("#05F", "/embed/theme/0055ff.css"),
        ("#ffcc00", None),  # too light for white text: SESAM's colours stay
        ("#777777", None),  # 4.48:1, just under AA
        ("red", None),
        ("#660099;x", None),
    ],
)
def test_embed_accent_is_used_only_with_aa_contrast(client, accent, stylesheet):
    page = client.get(FORM_PATHS["en"], query_string={"accent": accent}).get_data(as_text=True)
    if stylesheet:
        assert f'<link rel="stylesheet" href="{stylesheet}">' in page
        css = client.get(stylesheet)
        assert css.status_code == 200 and css.mimetype == "text/css"
        assert f"--brand: #{stylesheet.rsplit('/', 1)[1][:6]};" in css.get_data(as_text=True)
    else:
        assert "/embed/theme/" not in page


@pytest.mark.parametrize("name", ["ffcc00", "777777", "05f", "0055FF", "zzzzzz", "660099;x"])
def test_embed_theme_exists_only_for_canonical_contrasting_colours(client, name):
    assert client.get(f"/embed/theme/{name}.css").status_code == 404


@pytest.mark.parametrize("lang", FORM_PATHS)
def test_embed_submission_is_stored_as_embed_and_receipt_stays_in_frame(client, lang):
    query = f"?host_origin={HOST}&accent=%23660099&source_page={HOST}/kurs"
    response = _post(client, lang, query=query, source_page=f"{HOST}/kurs")
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.path == RECEIPT_PATHS[lang]
    carried = parse_qs(location.query)
    assert carried["host_origin"] == [HOST] and carried["accent"] == ["660099"]
    (enquiry,) = _enquiries()
    assert (enquiry.source, enquiry.source_page, enquiry.lang) == ("embed", f"{HOST}/kurs", lang)
    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200
    page = receipt.get_data(as_text=True)
    assert enquiry.reference in page
    assert f'data-host-origin="{HOST}"' in page and "data-sesam-submitted" in page
    assert '<link rel="stylesheet" href="/embed/theme/660099.css">' in page
    assert 'class="site-header"' not in page
    assert "Set-Cookie" not in receipt.headers


def test_embed_form_keeps_host_and_accent_through_a_failed_post(client):
    query = f"?host_origin={HOST}&accent=%23660099"
    page = client.get(FORM_PATHS["nb"] + query).get_data(as_text=True)
    action = re.search(r'<form[^>]*action="([^"]+)"', page).group(1)
    assert "host_origin=" in action and "accent=660099" in action
    data = answers(form_token=token_in(page), problem="too short")
    failed = client.post(action.replace("&amp;", "&"), data=data, headers=SAME_ORIGIN)
    assert failed.status_code == 200
    text = failed.get_data(as_text=True)
    assert f'data-host-origin="{HOST}"' in text and "/embed/theme/660099.css" in text
    assert "Kari Nordmann" in text
    assert _enquiries() == []


def test_embed_receipt_without_a_valid_token_is_not_found(client):
    assert client.get(RECEIPT_PATHS["nb"] + "?t=forged").status_code == 404


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_embed_refuses_posts_from_other_sites(client, site):
    response = _post(client, headers={"Sec-Fetch-Site": site, "Origin": HOST})
    assert response.status_code == 403
    assert "Kari Nordmann" in response.get_data(as_text=True)
    assert _enquiries() == []


def test_embed_htmx_post_gets_the_form_fragment(client):
    page = client.get(FORM_PATHS["nb"]).get_data(as_text=True)
    data = answers(form_token=token_in(page), email="not-an-address")
    response = client.post(
        FORM_PATHS["nb"], data=data, headers={**SAME_ORIGIN, "HX-Request": "true"}
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="enquiry-form"' in fragment
    assert "Set-Cookie" not in response.headers
