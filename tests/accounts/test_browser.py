"""Real Chromium: an admin works the account pages by keyboard; axe-core on every screen."""

from __future__ import annotations

import pytest

from portal.accounts import queries, tokens
from portal.accounts.models import StaffUser
from portal.extensions import db
from tests.axe import axe_violations
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.keyboard import tab_to
from tests.staff_browser import IGNORE_STATIC_FILE_WARNING, keyboard_sign_in

LANGS = ("nb", "nn", "en")
pytestmark = [pytest.mark.browser, IGNORE_STATIC_FILE_WARNING]


def test_admin_creates_a_staff_account_with_the_keyboard_only(page, live_server):
    with live_server.app.app_context():
        make_staff(email="ada@example.org", name="Ada Admin", role="admin", lang="en")
    page.goto("/inbox/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    keyboard_sign_in(page, "ada@example.org", DEFAULT_PASSWORD)
    assert page.url.endswith("/inbox/")  # staff land on the enquiry list
    assert page.locator("html").get_attribute("lang") == "en"

    tab_to(page, "a[href='/inbox/admin/users']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/admin/users")
    tab_to(page, "a[href='/inbox/admin/users/new']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/admin/users/new")

    tab_to(page, "#name")
    page.keyboard.type("Siri Saksbehandler")
    tab_to(page, "#email")
    page.keyboard.type("siri@example.org")
    tab_to(page, "#lang-0")  # Tab reaches the checked radio; arrows choose within the group
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#lang-1")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/admin/users")
    assert "The account for Siri Saksbehandler is created." in page.inner_text("#messages")
    assert page.locator("table").inner_text().count("siri@example.org") == 1

    tab_to(page, ".staff-user button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/login?lang=en")
    assert "You are signed out." in page.inner_text("#messages")
    assert page.locator("html").get_attribute("lang") == "en"
    with live_server.app.app_context():
        siri = queries.user_by_email("siri@example.org")
        assert (siri.role, siri.lang, siri.password_hash) == ("staff", "nn", None)


def _check(page, path: str, lang: str) -> None:
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == lang, path
    assert page.locator("h1").count() == 1, path
    assert axe_violations(page) == [], f"{path} ({lang})"


@pytest.mark.parametrize("lang", LANGS)
def test_signed_out_pages_pass_axe(page, live_server, lang):
    with live_server.app.app_context():
        user = make_staff(email="kari@example.org", lang=lang)
        reset_path = f"/inbox/password/reset/{tokens.make_reset_token(user)}"
    for path in ("/inbox/login", "/inbox/password/forgot", reset_path, "/inbox/password/reset/x"):
        _check(page, f"{path}?lang={lang}", lang)
    page.goto(f"/inbox/login?lang={lang}")
    keyboard_sign_in(page, "kari@example.org", "wrong password")
    assert page.locator(".error-summary").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", LANGS)
def test_signed_in_pages_pass_axe(page, live_server, lang):
    with live_server.app.app_context():
        admin_id = make_staff(email="ada@example.org", role="admin", lang=lang).id
        other_id = make_staff(email="ola@example.org", name="Ola", password=None).id
    page.goto("/inbox/login")
    keyboard_sign_in(page, "ada@example.org", DEFAULT_PASSWORD)
    for path in (
        "/inbox/account",
        "/inbox/admin/users",
        "/inbox/admin/users/new",
        f"/inbox/admin/users/{other_id}",
        "/inbox/logout",
    ):
        _check(page, path, lang)
    page.goto("/inbox/admin/users/new")
    with page.expect_navigation():
        page.click(".form button[type=submit]")  # empty form: error summary and field errors
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page) == []
    with live_server.app.app_context():
        db.session.get(StaffUser, admin_id).role = "staff"
        db.session.commit()
    page.goto("/inbox/admin/users")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []  # the 403 page
