"""Security headers on every route (SECURITY.md A7, E3, O1) and no cookie on public pages."""

from __future__ import annotations

import pytest

from tests.observatory import score

PUBLIC_PATHS = [
    "/",
    "/nn/",
    "/en/",
    "/personvern",
    "/en/privacy",
    "/tilgjengelighet",
    "/nn/tilgjenge",
    "/healthz",
    "/does-not-exist",
    "/en/missing",
]


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_headers_every_public_response_is_locked_down(client, path):
    response = client.get(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Set-Cookie" not in headers
    assert "Strict-Transport-Security" not in headers  # plain http locally


def test_headers_hsts_when_public_base_url_is_https(make_app):
    app = make_app(PUBLIC_BASE_URL="https://sesam.usn.no", PUBLIC_HTTPS=True)
    response = app.test_client().get("/")
    hsts = response.headers["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


@pytest.mark.parametrize("path", ["/", "/en/", "/en/privacy"])
def test_headers_score_a_plus_on_the_observatory_table(make_app, path):
    app = make_app(PUBLIC_BASE_URL="https://sesam.usn.no", PUBLIC_HTTPS=True)
    response = app.test_client().get(path)
    total, notes = score(response.headers, response.headers.getlist("Set-Cookie"))
    assert total >= 100, notes


def test_observatory_scorer_penalises_missing_headers():
    total, notes = score({})
    assert total == 100 - 25 - 20 - 20 - 5
    assert "CSP missing -25" in notes


def test_headers_static_files_are_versioned_and_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css_url = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert "?v=" in css_url
    with client.get(css_url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/css/site.css?v=000000000000") as stale:
        assert "immutable" not in stale.headers["Cache-Control"]
