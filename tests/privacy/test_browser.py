"""Real Chromium: the new privacy screens pass axe in nb, nn and en (the data-subject page, with
results and with an error; an enquiry's page with its hold panel; the status page)."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.intake.links import case_token
from portal.intake.services import ask_about_data
from tests.axe import axe_violations
from tests.factories import make_enquiry, make_staff
from tests.intake.enquiry_builders import CASE_PREFIX
from tests.staff_browser import IGNORE_STATIC_FILE_WARNING, keyboard_sign_in

pytestmark = [pytest.mark.browser, IGNORE_STATIC_FILE_WARNING]


def _clean(page, path: str, lang: str) -> None:
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == lang, path
    assert page.locator("h1").count() == 1, path
    assert axe_violations(page) == [], f"{path} ({lang})"


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_privacy_screens_pass_axe(page, live_server, lang):
    with live_server.app.app_context():
        make_staff(email=f"ada-{lang}@example.org", role="admin", lang=lang)
        enquiry = make_enquiry(email=f"kari-{lang}@example.org", lang=lang, hold_kind="legal")
        ask_about_data(enquiry, "erasure")
        enquiry_id, public_id = enquiry.id, enquiry.public_id
        db.session.commit()
        with live_server.app.test_request_context():
            status_page = CASE_PREFIX[lang] + case_token(public_id)
    _clean(page, status_page, lang)
    page.goto("/inbox/login")
    keyboard_sign_in(page, f"ada-{lang}@example.org")
    _clean(page, "/inbox/admin/privacy/", lang)
    _clean(page, f"/inbox/admin/privacy/?email=kari-{lang}@example.org", lang)
    _clean(page, "/inbox/admin/privacy/?email=", lang)  # the error summary
    _clean(page, f"/inbox/enquiries/{enquiry_id}", lang)
    assert page.locator("#panel-hold").count() == 1
