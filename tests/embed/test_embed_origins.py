"""EMBED_ALLOWED_ORIGINS parsing, and which host origins and pages the embed accepts."""

from __future__ import annotations

import logging

import pytest

from portal.embed.origins import (
    allowed_host_origin,
    allowed_source_page,
    normalise_origin,
    origin_of,
    parse_origins,
)

ALLOWED = "https://www.usn.no http://127.0.0.2:8123"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.usn.no", "https://www.usn.no"),
        ("https://www.usn.no/", "https://www.usn.no"),
        ("HTTPS://WWW.USN.NO", "https://www.usn.no"),
        ("https://www.usn.no:443", "https://www.usn.no"),
        ("http://usn.no:80", "http://usn.no"),
        ("https://usn.no:8443", "https://usn.no:8443"),
        ("http://127.0.0.2:5000", "http://127.0.0.2:5000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("https://xn--srst-norge-ggb.no", "https://xn--srst-norge-ggb.no"),
    ],
)
def test_normalise_origin_accepts_scheme_host_port(value, expected):
    assert normalise_origin(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "www.usn.no",
        "https://",
        "https://www.usn.no/om",
        "https://www.usn.no/?a=1",
        "https://www.usn.no#top",
        "https://*.usn.no",
        "*",
        "'self'",
        "'none'",
        "https://user@www.usn.no",
        "https://www.usn.no:99999",
        "https://www.usn.no:0",
        "https://www.usn.no:",
        "ftp://www.usn.no",
        "javascript://www.usn.no",
        "https://www.usn.no;script-src",
        "https://www.usn.no,https://evil.example",
        "https://sørøst.no",
        "https://-usn-.no",
        "https://usn..no",
        "https://[nonsense]",
    ],
)
def test_normalise_origin_refuses_anything_else(value):
    assert normalise_origin(value) is None


def test_parse_origins_drops_invalid_entries_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="portal.embed.origins"):
        origins = parse_origins("https://www.usn.no https://*.evil.example https://www.usn.no/ x")
    assert origins == ("https://www.usn.no",)
    warned = " ".join(record.getMessage() for record in caplog.records)
    assert "https://*.evil.example" in warned
    assert "'x'" in warned


def test_parse_origins_takes_a_list_or_nothing():
    assert parse_origins(["https://a.example", "https://b.example:8443/"]) == (
        "https://a.example",
        "https://b.example:8443",
    )
    assert parse_origins(None) == ()
    assert parse_origins("") == ()
    assert parse_origins("   ") == ()


def test_allowed_host_origin_needs_the_allow_list(make_app):
    with make_app(EMBED_ALLOWED_ORIGINS=ALLOWED).test_request_context("/"):
        assert allowed_host_origin("https://www.usn.no") == "https://www.usn.no"
        assert allowed_host_origin("https://www.usn.no:443") == "https://www.usn.no"
        assert allowed_host_origin("http://127.0.0.2:8123") == "http://127.0.0.2:8123"
        assert allowed_host_origin("http://www.usn.no") is None
        assert allowed_host_origin("https://usn.no") is None
        assert allowed_host_origin("http://127.0.0.2:8124") is None
        assert allowed_host_origin("null") is None
        assert allowed_host_origin(None) is None
    with make_app().test_request_context("/"):
        assert allowed_host_origin("https://www.usn.no") is None


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("https://www.usn.no/forskning/sesam", "https://www.usn.no/forskning/sesam"),
        ("https://www.usn.no/kurs?id=7#pamelding", "https://www.usn.no/kurs?id=7"),
        ("https://www.usn.no", "https://www.usn.no/"),
        ("https://www.usn.no:443/a", "https://www.usn.no:443/a"),
        ("http://127.0.0.2:8123/demo", "http://127.0.0.2:8123/demo"),
        ("https://evil.example/https://www.usn.no/", None),
        ("https://www.usn.no.evil.example/", None),
        ("https://user@www.usn.no/", None),
        ("http://www.usn.no/", None),
        ("javascript:alert(1)//https://www.usn.no", None),
        ("https://www.usn.no/a b", None),
        ("https://www.usn.no/\r\nSet-Cookie: x", None),
        ("https://www.usn.no/" + "a" * 2000, None),
        ("/relative", None),
        ("", None),
        (None, None),
    ],
)
def test_allowed_source_page_keeps_only_allow_listed_pages(make_app, page, expected):
    with make_app(EMBED_ALLOWED_ORIGINS=ALLOWED).test_request_context("/"):
        assert allowed_source_page(page) == expected


def test_origin_of_a_page_is_its_canonical_origin(make_app):
    with make_app(EMBED_ALLOWED_ORIGINS=ALLOWED).test_request_context("/"):
        assert origin_of("https://www.usn.no:443/kurs") == "https://www.usn.no"
        assert origin_of("https://evil.example/kurs") is None
