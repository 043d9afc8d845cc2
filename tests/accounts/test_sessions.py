"""Staff sessions: cookie flags (E2), timeouts and real logout (A3), CSRF, no public cookie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from portal.accounts import services
from portal.extensions import db
from tests.accounts.support import session_cookie, set_cookies, try_login
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.staff_forms import post, token
from tests.tampering import tampered

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _is_login_redirect(response, next_path: str | None = "/inbox/account") -> bool:
    expected = "/inbox/login" + (f"?next={next_path}" if next_path else "")
    assert response.status_code in (302, 303), response.status_code
    assert response.headers["Location"] == expected
    return True


def test_session_cookie_flags_over_http(app, client):
    make_staff(email="kari@example.org")
    response = try_login(client, "kari@example.org", DEFAULT_PASSWORD)
    cookie = set_cookies(response)["sesam_staff"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert not cookie["secure"] and "domain" not in cookie
    assert "expires" in cookie  # permanent: the absolute timeout, not the browser's lifetime


def test_session_cookie_flags_over_https(make_app):
    app = make_app(PUBLIC_BASE_URL="https://sesam.example.org")
    with app.app_context():
        make_staff(email="kari@example.org")
        client = app.test_client()
        page = client.get("/inbox/login", base_url="https://sesam.example.org")
        assert set(set_cookies(page)) == {"__Host-sesam_staff"}
        response = client.post(
            "/inbox/login",
            base_url="https://sesam.example.org",
            data={
                "email": "kari@example.org",
                "password": DEFAULT_PASSWORD,
                "csrf_token": token(client, "https://sesam.example.org/inbox/login"),
            },
        )
        assert response.status_code == 303
        cookie = set_cookies(response)["__Host-sesam_staff"]
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Lax" and cookie["path"] == "/" and "domain" not in cookie


def test_inbox_responses_are_never_cached(app, client):
    assert client.get("/inbox/login").headers["Cache-Control"] == "no-store"


def test_public_pages_never_set_a_cookie_even_for_a_signed_in_user(app, client, login):
    login(client)
    for method, path in [
        ("GET", "/"),
        ("GET", "/nn/"),
        ("GET", "/en/privacy"),
        ("GET", "/tilgjengelighet"),
        ("POST", "/"),
        ("GET", "/no-such-page"),
        ("GET", "/healthz"),
        ("GET", "/static/css/site.css"),
    ]:
        response = client.open(path, method=method)
        response.close()
        assert "Set-Cookie" not in response.headers, f"{method} {path} set a cookie"
    assert client.get("/inbox/account").status_code == 200  # the staff session still works


def test_session_survives_activity_and_ends_after_thirty_idle_minutes(app, client, login):
    with time_machine.travel(START, tick=False) as traveller:
        login(client)
        for _ in range(3):
            traveller.shift(timedelta(minutes=29))
            assert client.get("/inbox/account").status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/inbox/account")
        assert _is_login_redirect(response)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Økten din er utløpt" in page


def test_session_ends_after_ten_hours_however_active(app, client, login):
    with time_machine.travel(START, tick=False) as traveller:
        login(client)
        for _ in range(29):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/inbox/account").status_code == 200
        traveller.shift(timedelta(minutes=20, seconds=1))  # 10 h 0 min 1 s after login
        assert _is_login_redirect(client.get("/inbox/account"))


def test_cookie_captured_before_logout_is_rejected_after_it(app, client, login):
    login(client)
    captured = session_cookie(client)
    assert client.get("/inbox/logout").status_code == 200  # a small confirm form
    response = post(client, "/inbox/logout", page="/inbox/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/inbox/login"
    assert "Du er logget ut" in client.get("/inbox/login").get_data(as_text=True)
    client.set_cookie("sesam_staff", captured)
    assert _is_login_redirect(client.get("/inbox/account"))


def test_logout_ends_the_users_sessions_in_other_browsers_too(app, make_app, login):
    laptop, phone = app.test_client(), app.test_client()
    user = login(laptop)
    login(phone, user)
    post(laptop, "/inbox/logout", page="/inbox/logout")
    assert _is_login_redirect(phone.get("/inbox/account"))


def test_logout_without_csrf_token_is_refused(app, client, login):
    login(client)
    assert client.post("/inbox/logout").status_code == 400
    assert client.get("/inbox/account").status_code == 200


def test_staff_post_without_csrf_token_is_refused(app, client, login):
    user = login(client)
    response = client.post("/inbox/account", data={"name": "Changed", "lang": "en"})
    assert response.status_code == 400
    db.session.refresh(user)
    assert user.name != "Changed"


def test_staff_post_with_csrf_header_is_accepted(app, client, login):
    user = login(client)
    headers = {"X-CSRFToken": token(client, "/inbox/account")}
    response = client.post("/inbox/account", data={"name": "Kari", "lang": "en"}, headers=headers)
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.name, user.lang) == ("Kari", "en")


def test_admin_ending_sessions_signs_out_another_browser(app, login):
    staff_browser, admin_browser = app.test_client(), app.test_client()
    user = login(staff_browser)
    login(admin_browser, role="admin")
    response = post(
        admin_browser, f"/inbox/admin/users/{user.id}/sessions", page="/inbox/admin/users"
    )
    assert response.status_code == 303
    assert _is_login_redirect(staff_browser.get("/inbox/account"))
    login(staff_browser, user)  # signing in again works
    assert staff_browser.get("/inbox/account").status_code == 200


def test_deactivated_users_existing_session_is_rejected(app, client, login):
    user = login(client)
    user.active = False  # even without a version bump (e.g. a direct database change)
    db.session.commit()
    response = client.get("/inbox/account")
    assert _is_login_redirect(response)
    with client.session_transaction("/inbox/") as sess:
        assert "_user_id" not in sess


def test_cookie_from_before_a_password_change_is_rejected(app, client, login):
    user = login(client)
    captured = session_cookie(client)
    services.set_password(user.id, "a brand new passphrase")
    client.set_cookie("sesam_staff", captured)
    assert _is_login_redirect(client.get("/inbox/account"))


@pytest.mark.parametrize("value", ["garbage", "", "eyJfdXNlcl9pZCI6IjE6MSJ9.forged.sig"])
def test_tampered_session_cookie_is_anonymous(app, client, value):
    make_staff(email="kari@example.org")
    client.set_cookie("sesam_staff", value)
    assert _is_login_redirect(client.get("/inbox/account"))


def test_a_tampered_real_session_cookie_is_anonymous(app, client, login):
    login(client)
    assert client.get("/inbox/account").status_code == 200
    client.set_cookie("sesam_staff", tampered(session_cookie(client)))
    assert _is_login_redirect(client.get("/inbox/account"))


def test_anonymous_htmx_request_is_sent_to_login_with_hx_redirect(app, hx):
    response = hx.get("/inbox/account")
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/inbox/login?next=")


def test_only_staff_requests_open_the_staff_session(app, client, login):
    login(client)
    cookie = {"Cookie": f"sesam_staff={session_cookie(client)}"}
    with app.test_request_context("/", headers=cookie) as public:
        assert dict(app.session_interface.open_session(app, public.request)) == {}
    with app.test_request_context("/inbox/", headers=cookie) as staff:
        assert "_user_id" in app.session_interface.open_session(app, staff.request)
