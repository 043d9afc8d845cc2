"""Who may use which inbox route (SECURITY.md A4): every route of the ``inbox`` blueprint, with ids.

Anonymous visitors and deactivated accounts are sent to the login page and see nothing; plain
staff get 403 on the admin routes; admins get everything. A route added without a case here
fails ``test_every_inbox_route_has_a_case``.
"""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.inbox import replies, saved_views
from tests.factories import make_enquiry, make_staff
from tests.staff_forms import token

SECRET = "Hemmelig Henvendelse"
# (method, rule, admin only)
ROUTES = [
    ("GET", "/inbox/", False),
    ("GET", "/inbox/export.csv", False),
    ("GET", "/inbox/overview/", False),
    ("GET", "/inbox/overview.csv", False),
    ("GET", "/inbox/overview.xlsx", False),
    ("POST", "/inbox/bulk", False),
    ("POST", "/inbox/views", False),
    ("POST", "/inbox/views/<int:view_id>/delete", False),
    ("GET", "/inbox/enquiries/<int:enquiry_id>", False),
    ("POST", "/inbox/enquiries/<int:enquiry_id>/status", False),
    ("POST", "/inbox/enquiries/<int:enquiry_id>/triage", False),
    ("POST", "/inbox/enquiries/<int:enquiry_id>/notes", False),
    ("POST", "/inbox/enquiries/<int:enquiry_id>/reply", False),
    ("POST", "/inbox/enquiries/<int:enquiry_id>/reply/preview", False),
    ("GET", "/inbox/admin/routing", True),
    ("POST", "/inbox/admin/routing", True),
    ("GET", "/inbox/admin/templates", True),
    ("GET", "/inbox/admin/templates/new", True),
    ("POST", "/inbox/admin/templates/new", True),
    ("GET", "/inbox/admin/templates/<int:template_id>", True),
    ("POST", "/inbox/admin/templates/<int:template_id>", True),
    ("POST", "/inbox/admin/templates/<int:template_id>/delete", True),
]
IDS = [f"{method} {rule}" for method, rule, _ in ROUTES]
POSTS = [rule for method, rule, _ in ROUTES if method == "POST"]


def test_every_inbox_route_has_a_case(app):
    found = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("inbox.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert found == {(method, rule) for method, rule, _ in ROUTES}


def _objects(owner_id: int) -> dict:
    enquiry = make_enquiry(name=SECRET)
    template = replies.save_template(None, "Takk", "nb", "Takk, {name}.")
    view = saved_views.save_view(owner_id, "Mine", "status=new")
    return {"enquiry_id": enquiry.id, "template_id": template.id, "view_id": view.id}


def _path(rule: str, ids: dict) -> str:
    for name, value in ids.items():
        rule = rule.replace(f"<int:{name}>", str(value))
    return rule


def _request(client, method: str, path: str, token: str | None):
    """The response, read in full at once (the CSV is streamed)."""
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data={"csrf_token": token} if token else {})
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize(("method", "rule", "admin_only"), ROUTES, ids=IDS)
def test_anonymous_visitors_are_sent_to_login(app, client, method, rule, admin_only):
    path = _path(rule, _objects(make_staff().id))
    response = _request(client, method, path, token(client))
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/inbox/login")
    assert SECRET not in response.get_data(as_text=True)


@pytest.mark.parametrize("rule", POSTS)
def test_a_post_without_a_token_is_refused_before_anything_else(app, client, rule):
    path = _path(rule, _objects(make_staff().id))
    assert client.post(path, data={}).status_code == 400


@pytest.mark.parametrize(("method", "rule", "admin_only"), ROUTES, ids=IDS)
def test_a_deactivated_account_is_sent_to_login(app, client, login, method, rule, admin_only):
    user = login(client, role="admin")
    path = _path(rule, _objects(user.id))
    csrf = token(client, "/inbox/")
    user.active = False
    db.session.commit()
    response = _request(client, method, path, csrf)
    assert response.status_code in (303, 400)  # a session that ends loses its CSRF token too
    if response.status_code == 303:
        assert response.headers["Location"].startswith("/inbox/login")
    assert SECRET not in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "rule", "admin_only"), ROUTES, ids=IDS)
def test_staff_use_the_inbox_but_not_the_admin_pages(app, client, login, method, rule, admin_only):
    user = login(client, role="staff")
    path = _path(rule, _objects(user.id))
    response = _request(client, method, path, token(client, "/inbox/"))
    if admin_only:
        assert response.status_code == 403
        assert "Takk, {name}." not in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 303)
        if response.status_code == 303:
            assert not response.headers["Location"].startswith("/inbox/login")


@pytest.mark.parametrize(("method", "rule", "admin_only"), ROUTES, ids=IDS)
def test_admins_use_every_route(app, client, login, method, rule, admin_only):
    user = login(client, role="admin")
    path = _path(rule, _objects(user.id))
    response = _request(client, method, path, token(client, "/inbox/"))
    assert response.status_code in (200, 303)
    if response.status_code == 303:
        assert not response.headers["Location"].startswith("/inbox/login")
