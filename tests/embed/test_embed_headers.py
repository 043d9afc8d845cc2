"""Framing policy per route (SECURITY.md E3), the loader's headers, and Observatory A+ (O1)."""

from __future__ import annotations

import logging
import re

import pytest

from portal.intake.forms import PREFILLABLE
from portal.web.http_caching import PUBLIC
from tests.embed.embed_support import FORM_PATHS, HOST, RECEIPT_PATHS
from tests.observatory import score

ORIGINS = f"{HOST} http://127.0.0.2:8123"
EMBED_PATHS = [*FORM_PATHS.values(), *(p + "?t=forged" for p in RECEIPT_PATHS.values())]
OTHER_PATHS = ["/", "/en/", "/kontakt", "/en/contact", "/personvern", "/healthz", "/embed.js"]


def _frame_ancestors(response) -> str:
    match = re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"])
    assert match, "no frame-ancestors directive"
    return match.group(1).strip()


@pytest.fixture
def framed_client(make_app):
    return make_app(EMBED_ALLOWED_ORIGINS=ORIGINS).test_client()


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embed_routes_may_be_framed_by_the_allowed_origins_only(framed_client, path):
    response = framed_client.get(path)
    assert _frame_ancestors(response) == ORIGINS
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize("path", OTHER_PATHS)
def test_other_routes_still_refuse_framing(framed_client, path):
    response = framed_client.get(path)
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", EMBED_PATHS)
def test_embed_routes_refuse_framing_without_an_allow_list(client, path):
    response = client.get(path)
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_invalid_allowed_origins_are_ignored_with_a_warning(make_app, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.embed.origins"):
        app = make_app(
            EMBED_ALLOWED_ORIGINS="https://*.usn.no https://www.usn.no/sesam https://ok.example"
        )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("https://*.usn.no" in w for w in warnings)
    assert any("https://www.usn.no/sesam" in w for w in warnings)
    assert _frame_ancestors(app.test_client().get(FORM_PATHS["nb"])) == "https://ok.example"


def test_only_invalid_allowed_origins_means_no_framing(make_app):
    response = (
        make_app(EMBED_ALLOWED_ORIGINS="* 'self' https://a.example/x")
        .test_client()
        .get(FORM_PATHS["en"])
    )
    assert _frame_ancestors(response) == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_loader_is_cacheable_versioned_javascript_loadable_cross_origin(framed_client):
    response = framed_client.get("/embed.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["Cache-Control"] == PUBLIC
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"]
    assert "Set-Cookie" not in response.headers
    source = response.get_data(as_text=True)
    assert '"use strict";' in source and "api.version = SETTINGS.version" in source
    assert '"version": "1.1.0"' in source or '"version":"1.1.0"' in source
    again = framed_client.get("/embed.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_loader_304_also_for_a_compressed_copy(framed_client):
    first = framed_client.get("/embed.js", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    again = framed_client.get(
        "/embed.js", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_loader_knows_every_language_and_only_the_prefillable_fields(framed_client):
    source = framed_client.get("/embed.js").get_data(as_text=True)
    for lang, path in FORM_PATHS.items():
        assert f'"{lang}": {{"path": "{path}"' in source
    for title in (
        "Skjema for henvendelser til SESAM",
        "Skjema for f\\u00f8respurnader til SESAM",
        "Enquiry form for SESAM",
    ):
        assert title in source
    fields = re.search(r'"fields": \[([^\]]*)\]', source).group(1)
    assert [f.strip().strip('"') for f in fields.split(",")] == list(PREFILLABLE)
    for never in ("name", "email", "problem", "keep_in_touch", "form_token", "website"):
        assert f'"{never}"' not in fields
    assert "postMessage" not in source  # the loader only listens
    assert '"*"' not in source


def test_embed_route_scores_a_plus_on_the_observatory_table(make_app):
    app = make_app(
        EMBED_ALLOWED_ORIGINS=HOST, PUBLIC_BASE_URL="https://sesam.usn.no", PUBLIC_HTTPS=True
    )
    for path in (FORM_PATHS["nb"], FORM_PATHS["en"], "/"):
        response = app.test_client().get(path)
        total, notes = score(response.headers, response.headers.getlist("Set-Cookie"))
        assert total >= 100, (path, notes)
