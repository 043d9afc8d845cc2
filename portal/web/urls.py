"""Absolute links for emails and the embed loader, built on ``PUBLIC_BASE_URL``."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """``url_for`` made absolute with PUBLIC_BASE_URL (in requests, the worker and the CLI)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context("/"):
        path = url_for(endpoint, **values)
    return base + path
