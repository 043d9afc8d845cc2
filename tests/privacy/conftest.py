"""Privacy fixtures: the portal with the locale refreshed per request, signed-in clients."""

from __future__ import annotations

from collections.abc import Iterator

import flask_babel
import pytest
from flask import Flask


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    """As the inbox's: each request forgets the previous one's locale."""
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
