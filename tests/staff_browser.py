"""What the staff screens' browser tests share: signing in (by mouse or keyboard only), running
work in the served portal, and the one warning the static files cause."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD
from tests.keyboard import tab_to

# Flask-Compress leaves the file of a compressed static response to the garbage collector
# (foundation: COMPRESS on static files); not the screens' matter, so only that is ignored.
IGNORE_STATIC_FILE_WARNING = pytest.mark.filterwarnings(
    "ignore:Exception ignored in.*/static/:pytest.PytestUnraisableExceptionWarning"
)


def sign_in(page: Page, email: str) -> None:
    """Sign in with the factories' password and land on the inbox."""
    page.goto("/inbox/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/inbox/$"))


def keyboard_sign_in(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Fill in and send the login form already on ``page`` with the keyboard only."""
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def in_app(server, work):
    """Run ``work()`` against the served portal's database and return its result."""
    with server.app.app_context():
        return work()
