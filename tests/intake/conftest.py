"""Intake fixtures: the portal with submit limits raised and no minimum fill time.

Tests that exercise the rate limit or the fill time build their own app with ``make_app``.
"""

from __future__ import annotations

from collections.abc import Iterator

import flask_babel
import pytest
from flask import Flask


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    """The portal for intake tests: many submissions allowed, no minimum fill time.

    The test keeps one app context open, and the client's requests share it (and ``g``);
    Flask-Babel caches the locale on ``g``, so each request forgets the previous one's, as it
    would with the fresh app context every real request gets.
    """
    application = make_app(SUBMIT_RATE_LIMIT="1000 per minute", FORM_MIN_FILL_SECONDS=0)
    application.before_request(flask_babel.refresh)
    with application.app_context():
        yield application
