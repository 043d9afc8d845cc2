"""Compression, content-hashed static files, ETags and the page cache of public pages."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import request_started, template_rendered

from portal.web.assets import IMMUTABLE
from portal.web.caching import body_etag

LANDINGS = ("/", "/nn/", "/en/")


def _asset(client, kind: str) -> str:
    html = client.get("/").get_data(as_text=True)
    pattern = {"css": r'<link rel="stylesheet" href="([^"]+)"', "js": r'<script src="([^"]+)"'}
    return re.search(pattern[kind], html).group(1)


@pytest.fixture
def film_client(make_app):
    """The landing page with the film configured, so it links its JavaScript and poster."""
    return make_app(FILM_URL="https://www.youtube.com/watch?v=dQw4w9WgXcQ").test_client()


@pytest.mark.parametrize("path", LANDINGS)
def test_public_page_is_gzipped_for_gzip_clients(client, path):
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert int(zipped.headers["Content-Length"]) < len(plain.get_data())


def test_public_page_prefers_brotli_when_offered(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    plain = client.get("/", headers={"Accept-Encoding": "identity"}).get_data()
    assert brotli.decompress(response.get_data()) == plain


@pytest.mark.parametrize("kind", ["css", "js"])
def test_static_css_and_js_are_gzipped(film_client, kind):
    """Compressed; the file is closed with the response (no ResourceWarning)."""
    url = _asset(film_client, kind)
    plain = film_client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = film_client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    plain.close()
    zipped.close()


@pytest.mark.parametrize("kind", ["css", "js"])
def test_static_file_with_its_hash_is_cached_a_year(film_client, kind):
    url = _asset(film_client, kind)
    assert re.search(r"\?v=[0-9a-f]{12}$", url)
    response = film_client.get(url)
    assert response.headers["Cache-Control"] == IMMUTABLE
    response.close()


def test_static_file_with_a_stale_or_no_hash_is_revalidated(client):
    url = _asset(client, "css")
    for stale in (url.split("?")[0], url.split("?")[0] + "?v=000000000000"):
        response = client.get(stale)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        response.close()


@pytest.mark.parametrize("path", LANDINGS)
def test_public_page_has_a_weak_etag_that_answers_304(client, path):
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert "Set-Cookie" not in again.headers


def test_etag_survives_compression_and_matches_every_encoding(client):
    tags = {
        encoding: client.get("/", headers={"Accept-Encoding": encoding}).headers["ETag"]
        for encoding in ("identity", "gzip", "br")
    }
    assert len(set(tags.values())) == 1
    gzip_tag = tags["gzip"]
    for encoding in ("identity", "br"):
        response = client.get("/", headers={"Accept-Encoding": encoding, "If-None-Match": gzip_tag})
        assert response.status_code == 304


def test_etag_names_the_uncompressed_body(client):
    body = client.get("/nn/", headers={"Accept-Encoding": "identity"}).get_data()
    assert client.get("/nn/").headers["ETag"] == f'W/"{body_etag(body)}"'


def test_stale_etag_gets_the_whole_page(client):
    response = client.get("/", headers={"If-None-Match": 'W/"not-the-current-page"'})
    assert response.status_code == 200
    assert b"<html" in response.get_data()


def test_head_request_gets_the_etag_and_no_body(client):
    response = client.head("/en/")
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('W/"')
    assert response.get_data() == b""


def test_page_languages_have_different_etags(client):
    assert len({client.get(path).headers["ETag"] for path in LANDINGS}) == 3


def _count_renders(app, action) -> int:
    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        action()
    return len([name for name in rendered if name.startswith("public/pages/")])


def test_cached_page_is_rendered_once_per_process(make_app):
    app = make_app()
    client = app.test_client()
    renders = _count_renders(app, lambda: [client.get("/en/") for _ in range(3)])
    assert renders == 1


def test_debug_mode_renders_every_time(make_app):
    app = make_app(DEBUG=True)
    client = app.test_client()
    assert _count_renders(app, lambda: [client.get("/en/") for _ in range(2)]) == 2


def test_page_cache_is_per_app_configuration(make_app):
    without = make_app().test_client().get("/").get_data(as_text=True)
    with_film = make_app(FILM_URL="https://vimeo.com/123456").test_client().get("/")
    assert "film__" not in without
    assert "film__" in with_film.get_data(as_text=True)


def test_dynamic_public_page_gets_an_etag_from_its_body(make_app):
    app = make_app()
    state = {"text": "first"}

    @app.get("/probe-dynamic")
    def probe():
        return f"<!doctype html><p>{state['text']}</p>"

    client = app.test_client()
    first = client.get("/probe-dynamic")
    tag = first.headers["ETag"]
    assert tag == f'W/"{body_etag(first.get_data())}"'
    assert client.get("/probe-dynamic", headers={"If-None-Match": tag}).status_code == 304
    state["text"] = "second"
    changed = client.get("/probe-dynamic", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != tag


def test_staff_pages_never_get_an_etag(make_app):
    app = make_app()

    @app.get("/inbox/probe")
    def staff_probe():
        return "<!doctype html><p>staff only</p>"

    client = app.test_client()
    response = client.get("/inbox/probe")
    assert "ETag" not in response.headers
    tag = f'W/"{body_etag(response.get_data())}"'
    assert client.get("/inbox/probe", headers={"If-None-Match": tag}).status_code == 200


def test_post_and_error_responses_get_no_etag(client):
    assert "ETag" not in client.get("/no-such-page").headers
    assert "ETag" not in client.post("/").headers


# ----------------------------------------------------------------------------- PageReplay


def _flask_runs(app, action) -> int:
    """How many requests reached Flask (PageReplay answers the others by itself)."""
    runs = []

    def record(sender, **extra):
        runs.append(1)

    with request_started.connected_to(record, app):
        action()
    return len(runs)


def test_repeated_request_is_replayed_without_flask(make_app):
    app = make_app()
    client = app.test_client()
    headers = {"Accept-Encoding": "gzip"}
    first = client.get("/nn/", headers=headers)
    replays = []
    assert (
        _flask_runs(
            app, lambda: replays.extend(client.get("/nn/", headers=headers) for _ in range(3))
        )
        == 0
    )
    for replay in replays:
        assert replay.status_code == 200
        assert replay.get_data() == first.get_data()
        assert sorted(replay.headers.items()) == sorted(first.headers.items())
        assert "Content-Security-Policy" in replay.headers


def test_replay_keeps_encodings_and_htmx_requests_apart(make_app):
    app = make_app()
    client = app.test_client()
    for encoding in ("gzip", "br", "identity"):
        client.get("/", headers={"Accept-Encoding": encoding})
    assert client.get("/", headers={"Accept-Encoding": "br"}).headers["Content-Encoding"] == "br"
    assert (
        "Content-Encoding" not in client.get("/", headers={"Accept-Encoding": "identity"}).headers
    )
    assert _flask_runs(app, lambda: client.get("/", headers={"HX-Request": "true"})) == 1


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/en/?utm_source=newsletter", {}),
        ("GET", "/en/", {"cookie": "sesam_staff=abc"}),
        ("GET", "/en/", {"If-None-Match": 'W/"x"'}),
        ("HEAD", "/en/", {}),
    ],
)
def test_requests_that_could_differ_always_reach_flask(make_app, method, path, headers):
    app = make_app()
    client = app.test_client()
    if "cookie" in headers:  # the test client sends its own cookie jar, not a Cookie header
        client.set_cookie(*headers.pop("cookie").split("="))
    client.open(path, method=method, headers=headers)
    assert _flask_runs(app, lambda: client.open(path, method=method, headers=headers)) == 1


def test_only_cached_views_are_replayed(make_app):
    app = make_app()

    @app.get("/probe-uncached")
    def probe():
        return "<!doctype html><p>fresh every time</p>"

    client = app.test_client()
    client.get("/probe-uncached")
    client.get("/no-such-page")
    assert _flask_runs(app, lambda: client.get("/probe-uncached")) == 1
    assert _flask_runs(app, lambda: client.get("/no-such-page")) == 1


def test_response_setting_a_cookie_is_never_replayed(make_app):
    app = make_app()

    @app.after_request
    def set_cookie(response):
        response.set_cookie("probe", "1")
        return response

    client = app.test_client()
    client.get("/en/")
    assert _flask_runs(app, lambda: client.get("/en/")) == 1


# ----------------------------------------------------------------------------- static files


def test_versioned_static_file_is_compressed_once_and_reused(make_app):
    app = make_app()
    client = app.test_client()
    url = _asset(client, "css")
    source = (Path(app.static_folder) / "css" / "site.css").read_bytes()
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(first.get_data()) == source
    assert "Accept-Ranges" not in first.headers
    assert first.headers["ETag"].endswith(':gzip"')
    cache = app.extensions["compressed_static"]
    assert len(cache) == 1
    second = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert second.get_data() == first.get_data()
    assert len(cache) == 1
    brotli_body = client.get(url, headers={"Accept-Encoding": "br"}).get_data()
    assert brotli.decompress(brotli_body) == source
    assert len(cache) == 2


def test_compressed_static_file_answers_its_own_etag_with_304(client):
    url = _asset(client, "css")
    etag = client.get(url, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304


def test_unversioned_static_file_is_still_gzipped_and_closed(client):
    """Not cached (its content may change): compressed by Flask-Compress on every request."""
    url = _asset(client, "css").split("?")[0]
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()).startswith(b"/*")
    response.close()
