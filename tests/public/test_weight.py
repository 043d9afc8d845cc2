"""Budget: the landing page (HTML, CSS and JS, gzip) <= 30 KB and the poster <= 15 KB, no htmx."""

from __future__ import annotations

import re

import pytest

GZIP = {"Accept-Encoding": "gzip"}


@pytest.mark.parametrize("path", ["/", "/nn/", "/en/"])
def test_weight_landing_page_within_budget(make_app, path):
    client = make_app(FILM_URL="https://youtu.be/dQw4w9WgXcQ").test_client()
    page = client.get(path, headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    html = client.get(path).get_data(as_text=True)
    assert "htmx" not in html
    total = len(page.data)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=\w+)"', html)
    assert assets, "the page links its stylesheet"
    for url in assets:
        with client.get(url, headers=GZIP) as response:
            assert response.headers.get("Content-Encoding") == "gzip" or len(response.data) < 500
            total += len(response.data)
    assert total <= 30 * 1024, f"{total} bytes"
    poster = re.search(r'src="(/static/img/film-poster\.svg\?v=\w+)"', html).group(1)
    with client.get(poster, headers=GZIP) as response:
        assert len(response.data) <= 15 * 1024
