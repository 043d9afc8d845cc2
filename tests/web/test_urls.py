"""Static URLs carry their file's content hash, so they can be cached for a year."""

from __future__ import annotations

from flask import Flask

from portal.web.assets import asset_url, content_hash


def test_an_asset_url_carries_the_content_hash(app: Flask) -> None:
    with app.test_request_context("/"):
        url = asset_url("css/site.css")
        assert url == f"/static/css/site.css?v={content_hash('css/site.css')}"


def test_an_asset_url_keeps_the_mount_point(app: Flask) -> None:
    with app.test_request_context("/", base_url="http://localhost/sesam/"):
        assert asset_url("css/site.css").startswith("/sesam/static/css/site.css?v=")


def test_a_missing_file_has_no_hash(app: Flask) -> None:
    with app.test_request_context("/"):
        assert content_hash("css/no-such-file.css") is None
