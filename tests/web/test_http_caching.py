"""HTTP caching (SPEC, "HTTP caching"): public pages with ETags and 304s, private pages never kept
by a shared cache, staff pages never stored; compression with Flask-Compress; static files."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from portal.intake.links import case_token, receipt_token
from portal.public.views import PAGES
from portal.web.http_caching import PRIVATE, PUBLIC, STAFF, STATIC_VERSIONED
from tests.factories import make_enquiry

# The public pages in every language, and the embed's loader.
SAME_FOR_EVERYONE = (*(path for page in PAGES.values() for path in page.values()), "/embed.js")
ENCODINGS = ("identity", "gzip", "br")


def _asset(client, kind: str) -> str:
    html = client.get("/").get_data(as_text=True)
    pattern = {"css": r'<link rel="stylesheet" href="([^"]+)"', "js": r'<script src="([^"]+)"'}
    return re.search(pattern[kind], html).group(1)


@pytest.fixture
def film_client(make_app):
    """The landing page with the film configured, so it links its JavaScript and poster."""
    return make_app(FILM_URL="https://www.youtube.com/watch?v=dQw4w9WgXcQ").test_client()


# ----------------------------------------------------------------------- same for everyone


@pytest.mark.parametrize("path", SAME_FOR_EVERYONE)
def test_a_page_the_same_for_everyone_is_public_with_an_etag_and_304(client, path):
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == PUBLIC
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in again.headers


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_each_encoding_has_its_own_etag_and_answers_its_own_304(client, encoding):
    headers = {"Accept-Encoding": encoding}
    first = client.get("/nn/", headers=headers)
    assert first.headers["Content-Encoding"] == encoding
    assert first.headers["ETag"].endswith(f':{encoding}"')
    again = client.get("/nn/", headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "Content-Encoding" not in again.headers


def test_the_three_encodings_are_three_validators(client):
    tags = {
        encoding: client.get("/", headers={"Accept-Encoding": encoding}).headers["ETag"]
        for encoding in ENCODINGS
    }
    assert len(set(tags.values())) == 3
    # A tag of one encoding does not stand for another's bytes.
    response = client.get("/", headers={"Accept-Encoding": "br", "If-None-Match": tags["gzip"]})
    assert response.status_code == 200
    assert brotli.decompress(response.get_data()).startswith(b"<!doctype html>")


def test_a_stale_etag_gets_the_whole_page(client):
    response = client.get("/", headers={"If-None-Match": '"not-the-current-page"'})
    assert response.status_code == 200
    assert b"<html" in response.get_data()


def test_a_head_request_gets_the_etag_and_no_body(client):
    response = client.head("/en/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PUBLIC
    assert response.headers["ETag"]
    assert response.get_data() == b""


def test_languages_have_different_etags(client):
    assert len({client.get(path).headers["ETag"] for path in ("/", "/nn/", "/en/")}) == 3


def test_a_changed_configuration_changes_the_etag(make_app):
    without = make_app().test_client().get("/")
    with_film = make_app(FILM_URL="https://vimeo.com/123456").test_client().get("/")
    assert "film__" not in without.get_data(as_text=True)
    assert "film__" in with_film.get_data(as_text=True)
    assert without.headers["ETag"] != with_film.headers["ETag"]


def test_the_embeds_accent_stylesheet_is_public(client):
    response = client.get("/embed/theme/005a70.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PUBLIC
    etag = response.headers["ETag"]
    assert client.get("/embed/theme/005a70.css", headers={"If-None-Match": etag}).status_code == 304


def test_an_error_on_a_public_path_is_not_public(client):
    for response in (client.get("/no-such-page"), client.get("/embed/theme/fff.css")):
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == PRIVATE
        assert "ETag" not in response.headers


# ----------------------------------------------------------------------- a visitor's own pages


@pytest.mark.parametrize(
    "path", ["/kontakt", "/nn/kontakt", "/en/contact", "/embed/kontakt", "/en/embed/contact"]
)
def test_the_form_is_private_and_each_visitor_gets_their_own_token(client, path):
    first, second = client.get(path), client.get(path)
    for response in (first, second):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == PRIVATE
        assert "ETag" not in response.headers
    assert first.get_data() != second.get_data()  # a fresh token each time
    assert client.get(path, headers={"If-None-Match": "*"}).status_code == 200


def test_the_receipt_and_the_status_page_are_private(app, client):
    enquiry = make_enquiry()
    with app.test_request_context():
        paths = [
            f"/kontakt/mottatt?t={receipt_token(enquiry.reference)}",
            f"/en/embed/contact/received?t={receipt_token(enquiry.reference)}",
            f"/kontakt/sak/{case_token(enquiry.public_id)}",
        ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == PRIVATE
        assert "ETag" not in response.headers


def test_a_form_post_is_private(client):
    assert client.post("/kontakt", data={}).headers["Cache-Control"] == PRIVATE


# ----------------------------------------------------------------------- staff


def test_staff_pages_are_never_stored(client, login):
    assert client.get("/inbox/login").headers["Cache-Control"] == STAFF
    assert client.get("/inbox/").headers["Cache-Control"] == STAFF  # the redirect to login
    login(client)
    page = client.get("/inbox/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == STAFF
    assert "ETag" not in page.headers
    assert client.get("/inbox/no-such-page").headers["Cache-Control"] == STAFF


# ----------------------------------------------------------------------- compression and static


@pytest.mark.parametrize("path", ["/", "/nn/", "/en/"])
def test_a_public_page_is_gzipped_for_gzip_clients(client, path):
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert int(zipped.headers["Content-Length"]) < len(plain.get_data())


def test_a_public_page_prefers_brotli_when_offered(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    plain = client.get("/", headers={"Accept-Encoding": "identity"}).get_data()
    assert brotli.decompress(response.get_data()) == plain


@pytest.mark.parametrize("kind", ["css", "js"])
def test_static_css_and_js_are_compressed(film_client, kind):
    """Compressed; the file is closed with the response (no ResourceWarning)."""
    url = _asset(film_client, kind)
    plain = film_client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = film_client.get(url, headers={"Accept-Encoding": "gzip"})
    squeezed = film_client.get(url, headers={"Accept-Encoding": "br"})
    assert zipped.status_code == squeezed.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert brotli.decompress(squeezed.get_data()) == plain.get_data()
    for response in (plain, zipped, squeezed):
        response.close()


@pytest.mark.parametrize("kind", ["css", "js"])
def test_a_static_file_with_its_hash_is_public_for_a_year(film_client, kind):
    url = _asset(film_client, kind)
    assert re.search(r"\?v=[0-9a-f]{12}$", url)
    response = film_client.get(url)
    assert response.headers["Cache-Control"] == STATIC_VERSIONED
    assert response.headers["ETag"]
    response.close()


def test_a_static_file_with_a_stale_or_no_hash_is_revalidated(client):
    url = _asset(client, "css")
    for stale in (url.split("?")[0], url.split("?")[0] + "?v=000000000000"):
        response = client.get(stale)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        response.close()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_static_file_answers_its_etag_with_304_in_each_encoding(client, encoding):
    url = _asset(client, "css")
    first = client.get(url, headers={"Accept-Encoding": encoding})
    etag = first.headers["ETag"]
    first.close()
    again = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
    assert again.status_code == 304
    again.close()
