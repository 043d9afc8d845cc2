"""The film: FILM_URL to a privacy-enhanced player, behind a facade that loads nothing."""

from __future__ import annotations

import pytest

from portal.public.film import film_from_config


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0",
        ),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&rel=0",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
        (
            "https://vimeo.com/76979871/abcdef1234",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abcdef1234",
        ),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
        ),
    ],
)
def test_film_privacy_enhanced_embed(url, embed):
    film = film_from_config(url, None)
    assert film.embed_url == embed
    assert film.watch_url == url


@pytest.mark.parametrize(
    "url", ["https://example.org/film.mp4", "https://www.youtube.com/watch?v=<script>"]
)
def test_film_unknown_or_odd_urls_get_a_plain_link(url):
    film = film_from_config(url, None)
    assert film.embed_url is None and film.watch_url == url


@pytest.mark.parametrize("url", [None, "", "javascript:alert(1)"])
def test_film_absent_or_unsafe_is_not_shown(url):
    assert film_from_config(url, None) is None


def test_film_facade_on_the_landing_page(make_app):
    app = make_app(
        FILM_URL="https://youtu.be/dQw4w9WgXcQ",
        FILM_TRANSCRIPT_URL="https://example.org/transcript",
    )
    html = app.test_client().get("/en/").get_data(as_text=True)
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html
    assert 'data-film-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in html
    assert "<iframe" not in html
    assert 'href="https://example.org/transcript"' in html
    assert "/static/js/film.js?v=" in html


def test_film_section_absent_without_film_url(client):
    html = client.get("/").get_data(as_text=True)
    assert "film__facade" not in html and "film.js" not in html
