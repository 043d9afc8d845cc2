"""Conversation fixtures: the portal with the locale refreshed per request, signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator

import flask_babel
import pytest
from flask import Flask


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
