"""Inbox fixtures: the portal with the locale refreshed per request, signed-in clients, forms."""

from __future__ import annotations

from collections.abc import Iterator

import flask_babel
import pytest
from flask import Flask

from tests.conftest import csrf_token_from


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    """The portal in an app context that the client's requests share; Flask-Babel caches the
    locale on ``g``, so each request forgets the previous one's (as a fresh context would)."""
    application = make_app()
    application.before_request(flask_babel.refresh)
    with application.app_context():
        yield application


@pytest.fixture
def staff(app, client, login):
    """A signed-in staff member (the ``client`` carries the session)."""
    return login(client, role="staff")


@pytest.fixture
def admin(app, client, login):
    """A signed-in admin (the ``client`` carries the session)."""
    return login(client, role="admin")


def token(client, path: str = "/inbox/") -> str:
    """A CSRF token for the client's session, read from a staff page."""
    return csrf_token_from(client.get(path).get_data(as_text=True))


def post(client, path: str, data: dict | None = None, page: str = "/inbox/", **kwargs):
    """POST ``data`` with a valid CSRF token (from ``page``) as a form without JavaScript."""
    return client.post(path, data={**(data or {}), "csrf_token": token(client, page)}, **kwargs)


def hx_post(client, path: str, data: dict | None = None, page: str = "/inbox/", target=None):
    """POST as htmx does: the token in the X-CSRFToken header, HX-Request (and HX-Target)."""
    headers = {"HX-Request": "true", "X-CSRFToken": token(client, page)}
    if target:
        headers["HX-Target"] = target
    return client.post(path, data=data or {}, headers=headers)
