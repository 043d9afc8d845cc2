"""Real Chromium: the audit viewer passes axe in nb, nn and en, with and without an error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.audit.trail import record
from portal.extensions import db
from tests.axe import axe_violations
from tests.factories import make_staff
from tests.staff_browser import IGNORE_STATIC_FILE_WARNING, keyboard_sign_in

pytestmark = [pytest.mark.browser, IGNORE_STATIC_FILE_WARNING]


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
    page.goto("/inbox/login")
    keyboard_sign_in(page, f"ada-{lang}@example.org")
    page.goto("/inbox/admin/audit/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    page.goto("/inbox/admin/audit/?since=2026-13-45")  # a bad date: the form with its error
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
