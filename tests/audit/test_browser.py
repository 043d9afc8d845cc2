"""Real Chromium: the audit viewer passes axe in nb, nn and en, with and without an error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.audit.trail import record
from portal.extensions import db
from tests.axe import axe_violations
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.keyboard import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in.*/static/:pytest.PytestUnraisableExceptionWarning"
    ),
]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def _login(page, email: str) -> None:
    page.goto("/inbox/login")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_audit_viewer_passes_axe(page, live_server, lang):
    with live_server.app.app_context():
        admin = make_staff(email=f"ada-{lang}@example.org", role="admin", lang=lang)
        record(
            "enquiry.anonymised",
            target="SESAM-2023-0001",
            detail="retention",
            at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
        )
        record("export.csv", actor_id=admin.id)
        db.session.commit()
    _login(page, f"ada-{lang}@example.org")
    page.goto("/inbox/admin/audit/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    page.goto("/inbox/admin/audit/?since=2026-13-45")  # a bad date: the form with its error
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
