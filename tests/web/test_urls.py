"""Fixed links (navigation, footer, static files) are built once per language and mount point,
and are exactly what ``url_for`` builds."""

from __future__ import annotations

import pytest
from flask import Flask, g, url_for
from werkzeug.routing import BuildError

from portal.web.assets import asset_url, content_hash
from portal.web.urls import fixed_url


def _in_request(app: Flask, lang: str | None = None, root: str = ""):
    context = app.test_request_context("/", base_url=f"http://localhost{root}/")
    context.push()
    if lang:
        g.lang = lang
    return context


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_a_fixed_url_is_what_url_for_builds_in_each_language(app: Flask, lang: str) -> None:
    context = _in_request(app, lang=lang)
    try:
        for endpoint in ("public.landing", "public.privacy", "intake.form", "inbox.index"):
            assert fixed_url(endpoint) == url_for(endpoint)
            assert fixed_url(endpoint) == fixed_url(endpoint)  # the remembered one, too
    finally:
        context.pop()


def test_each_language_and_mount_point_keeps_its_own_link(app: Flask) -> None:
    links = []
    for lang, root in [("nb", ""), ("en", ""), ("nb", "/sesam")]:
        context = _in_request(app, lang=lang, root=root)
        try:
            links.append(fixed_url("public.privacy"))
        finally:
            context.pop()
    assert links == ["/personvern", "/en/privacy", "/sesam/personvern"]


def test_an_unknown_endpoint_raises_and_is_not_remembered(app: Flask) -> None:
    context = _in_request(app)
    try:
        with pytest.raises(BuildError):
            fixed_url("public.no_such_page")
        with pytest.raises(BuildError):
            fixed_url("public.no_such_page")
    finally:
        context.pop()


def test_an_asset_url_carries_the_content_hash(app: Flask) -> None:
    context = _in_request(app)
    try:
        url = asset_url("css/site.css")
        assert url == f"/static/css/site.css?v={content_hash('css/site.css')}"
        assert asset_url("css/site.css") is url  # built once
    finally:
        context.pop()


def test_the_development_server_builds_each_time(app: Flask, monkeypatch) -> None:
    monkeypatch.setattr(app, "debug", True)
    context = _in_request(app)
    try:
        first = asset_url("css/site.css")
        assert asset_url("css/site.css") == first
        assert asset_url("css/site.css") is not first
    finally:
        context.pop()
