"""Access control on every accounts route (A4): anonymous, deactivated, staff and admin."""

from __future__ import annotations

import logging

import pytest

from portal.accounts.models import StaffUser
from portal.extensions import db
from tests.factories import make_staff
from tests.staff_forms import token

# (method, path, who may use it); {id} is another account, {token} a reset token.
ROUTES = [
    ("GET", "/inbox/login", "anyone"),
    ("POST", "/inbox/login", "anyone"),
    ("GET", "/inbox/password/forgot", "anyone"),
    ("POST", "/inbox/password/forgot", "anyone"),
    ("GET", "/inbox/password/reset/{token}", "anyone"),
    ("POST", "/inbox/password/reset/{token}", "anyone"),
    ("GET", "/inbox/logout", "staff"),
    ("POST", "/inbox/logout", "staff"),
    ("GET", "/inbox/account", "staff"),
    ("POST", "/inbox/account", "staff"),
    ("POST", "/inbox/account/password", "staff"),
    ("POST", "/inbox/account/settings", "staff"),
    ("GET", "/inbox/admin/users", "admin"),
    ("GET", "/inbox/admin/users/new", "admin"),
    ("POST", "/inbox/admin/users/new", "admin"),
    ("GET", "/inbox/admin/users/{id}", "admin"),
    ("POST", "/inbox/admin/users/{id}", "admin"),
    ("POST", "/inbox/admin/users/{id}/deactivate", "admin"),
    ("POST", "/inbox/admin/users/{id}/sessions", "admin"),
    ("POST", "/inbox/admin/users/{id}/reset-link", "admin"),
]
PROTECTED = [(method, path) for method, path, who in ROUTES if who != "anyone"]
ADMIN_ONLY = [(method, path) for method, path, who in ROUTES if who == "admin"]


def _request(client, method: str, path: str, victim: StaffUser, csrf: str):
    url = path.format(id=victim.id, token="not-a-valid-token")
    if method == "GET":
        return client.get(url)
    # A valid CSRF token for the session, so what is tested is access, not CSRF.
    return client.post(url, data={"csrf_token": csrf, "name": "Changed", "lang": "en"})


def test_route_table_covers_every_accounts_route(app):
    registered = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("accounts.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {
        (method, path.replace("{id}", "<int:user_id>").replace("{token}", "<token>"))
        for method, path, _ in ROUTES
    }
    assert registered == listed


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_anonymous_visitor_is_sent_to_login(app, client, method, path, caplog):
    victim = make_staff(email="victim@example.org")
    caplog.set_level(logging.INFO, logger="portal.security")
    response = _request(client, method, path, victim, token(client))
    assert response.status_code in (302, 303)
    location = response.headers["Location"]
    assert location.startswith("/inbox/login")
    if method == "GET":
        assert location == "/inbox/login?next=" + path.format(id=victim.id)
    assert 'authz.denied reason="anonymous"' in caplog.text
    _assert_untouched(victim)


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_deactivated_account_is_signed_out_and_sent_to_login(app, client, login, method, path):
    victim = make_staff(email="victim@example.org")
    user = login(client, role="admin")
    make_staff(role="admin")  # so that deactivating `user` leaves an admin
    csrf = token(client, "/inbox/account")
    user.active = False
    db.session.commit()
    response = _request(client, method, path, victim, csrf)
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/inbox/login")
    _assert_untouched(victim)
    with client.session_transaction("/inbox/") as sess:
        assert "_user_id" not in sess


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_staff_get_403_on_admin_routes(app, client, login, method, path, caplog):
    victim = make_staff(email="victim@example.org")
    user = login(client, role="staff")
    csrf = token(client, "/inbox/account")
    caplog.set_level(logging.INFO, logger="portal.security")
    response = _request(client, method, path, victim, csrf)
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Du har ikke tilgang til denne siden" in html and user.name in html
    assert f'authz.denied reason="not_admin" user_id="{user.id}"' in caplog.text
    _assert_untouched(victim)


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_admin_may_use_admin_routes(app, client, login, method, path):
    victim = make_staff(email="victim@example.org")
    login(client, role="admin")
    response = _request(client, method, path, victim, token(client, "/inbox/account"))
    assert response.status_code in (200, 303)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in ADMIN_ONLY if "{id}" in p])
def test_admin_routes_answer_404_for_an_unknown_id(app, client, login, method, path):
    login(client, role="admin")
    ghost = StaffUser(id=987654, email="ghost@example.org", name="Ghost")
    csrf = token(client, "/inbox/account")
    assert _request(client, method, path, ghost, csrf).status_code == 404


@pytest.mark.parametrize("path", ["/inbox/account", "/inbox/logout"])
def test_staff_may_use_their_own_pages(app, client, login, path):
    login(client, role="staff")
    assert client.get(path).status_code == 200


def test_staff_nav_hides_admin_links_from_staff(app, client, login):
    login(client, role="staff")
    html = client.get("/inbox/account").get_data(as_text=True)
    assert 'href="/inbox/admin/users"' not in html and 'href="/inbox/account"' in html


def _assert_untouched(victim: StaffUser) -> None:
    db.session.expire_all()
    fresh = db.session.get(StaffUser, victim.id)
    assert fresh.active and fresh.name != "Changed" and fresh.session_version == 1
