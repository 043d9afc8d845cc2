"""What search engines and link previews read: absolute hreflang and canonical links on
PUBLIC_BASE_URL, the sitemap, robots.txt and the Open Graph metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BASE = "https://sesam.example.org"
LANDINGS = {"nb": "/", "nn": "/nn/", "en": "/en/"}
FORMS = {"nb": "/kontakt", "nn": "/nn/kontakt", "en": "/en/contact"}


@pytest.fixture
def site(make_app):
    return make_app(PUBLIC_BASE_URL=BASE).test_client()


@pytest.mark.parametrize(("lang", "path"), [*LANDINGS.items(), *FORMS.items()])
def test_seo_hreflang_and_canonical_are_absolute(site, lang, path):
    pages = LANDINGS if path in LANDINGS.values() else FORMS
    html = site.get(path).get_data(as_text=True)
    for other, other_path in pages.items():
        assert f'<link rel="alternate" hreflang="{other}" href="{BASE}{other_path}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{BASE}{pages["nb"]}">' in html
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', html) == [f"{BASE}{path}"]


def test_seo_canonical_leaves_out_the_query_string(site):
    html = site.get("/kontakt?enquiry_type=talk").get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/kontakt">' in html


def test_seo_sitemap_lists_public_pages_in_every_language(site):
    response = site.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert "public" in response.headers["Cache-Control"]
    xml = response.get_data(as_text=True)
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    expected = [*LANDINGS.values(), *FORMS.values()]
    expected += ["/personvern", "/nn/personvern", "/en/privacy"]
    expected += ["/tilgjengelighet", "/nn/tilgjenge", "/en/accessibility"]
    assert sorted(locs) == sorted(BASE + path for path in expected)
    assert xml.count('hreflang="nn"') == len(expected)  # each page names its translations
    assert "/inbox" not in xml and "/embed" not in xml


def test_seo_robots_keeps_staff_and_private_pages_out(site):
    response = site.get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    lines = text.splitlines()
    for path in ("/inbox/", "/kontakt/", "/nn/kontakt/", "/en/contact/", "/embed/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    # the form itself (no trailing slash) stays crawlable
    assert "Disallow: /kontakt" not in lines


@pytest.mark.parametrize(("lang", "path"), LANDINGS.items())
def test_seo_open_graph_names_title_description_and_image(site, lang, path):
    html = site.get(path).get_data(as_text=True)
    title = re.search(r'<meta property="og:title" content="([^"]+)">', html).group(1)
    assert title in re.search(r"<title>([^<]+)</title>", html).group(1)
    assert re.search(r'<meta property="og:description" content="[^"]{40,}">', html)
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image.startswith(f"{BASE}/static/img/social-preview.png?v=")
    locale = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}[lang]
    assert f'<meta property="og:locale" content="{locale}">' in html
    with site.get(image.removeprefix(BASE)) as png:
        assert png.status_code == 200
        assert png.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_seo_social_image_is_the_size_the_metadata_says():
    png = (Path(__file__).parents[2] / "static" / "img" / "social-preview.png").read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1200, 630)
