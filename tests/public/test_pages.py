"""Public pages over HTTP: every page in every language, its language links and its headers."""

from __future__ import annotations

import re

import pytest

PAGES = {
    "landing": {"nb": "/", "nn": "/nn/", "en": "/en/"},
    "privacy": {"nb": "/personvern", "nn": "/nn/personvern", "en": "/en/privacy"},
    "accessibility": {"nb": "/tilgjengelighet", "nn": "/nn/tilgjenge", "en": "/en/accessibility"},
}
CASES = [(page, lang, path) for page, paths in PAGES.items() for lang, path in paths.items()]


@pytest.mark.parametrize(("page", "lang", "path"), CASES)
def test_public_page_renders_in_its_language(client, page, lang, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert html.count("<h1") == 1
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(("page", "lang", "path"), CASES)
def test_public_page_links_its_other_languages(client, page, lang, path):
    html = client.get(path).get_data(as_text=True)
    for other, other_path in PAGES[page].items():
        link = re.search(rf'<a href="{re.escape(other_path)}"[^>]*hreflang="{other}"', html)
        assert link, f"{path} lacks a link to {other_path}"
        absolute = f"http://127.0.0.1:5000{other_path}"  # PUBLIC_BASE_URL's default
        assert f'<link rel="alternate" hreflang="{other}" href="{absolute}">' in html
