"""Admins manage staff accounts under /inbox/admin/users."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts import queries
from portal.accounts.models import StaffUser
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.accounts.support import try_login
from tests.factories import make_staff
from tests.staff_forms import post

USERS = "/inbox/admin/users"


def _new_user(client, **fields):
    data = {"name": "Ola Nordmann", "email": "ola@example.org", "role": "staff", "lang": "nn"}
    return post(client, f"{USERS}/new", {**data, **fields}, page=f"{USERS}/new")


def test_users_page_lists_accounts_with_their_state(app, client, login):
    login(client, role="admin")
    make_staff(name="Deaktivert Person", active=False)
    make_staff(name='<b>Bold</b> "quoted"', password=None)
    html = client.get(USERS).get_data(as_text=True)
    assert "Deaktivert Person" in html and ">Deaktivert</span>" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html and "<b>Bold" not in html
    assert "Har ikke passord ennå" in html
    assert 'aria-current="page">Brukere</a>' in html


def test_admin_creates_a_staff_account_that_gets_a_link(app, client, login):
    admin = login(client, role="admin")
    response = _new_user(client)
    assert response.status_code == 303 and response.headers["Location"] == USERS
    user = queries.user_by_email("ola@example.org")
    assert (user.name, user.role, user.lang, user.active) == ("Ola Nordmann", "staff", "nn", True)
    assert user.password_hash is None
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert (
        message.recipient == "ola@example.org"
        and message.subject == "Vel passord for SESAM-innboksen"
    )
    assert "Kontoen til Ola Nordmann er opprettet." in client.get(USERS).get_data(as_text=True)
    assert admin.id != user.id


def test_admin_creates_an_admin_with_a_password(app, client, login):
    login(client, role="admin")
    _new_user(client, role="admin", password="a good long password", email="Admin2@Example.org")
    user = queries.user_by_email("admin2@example.org")
    assert user.role == "admin"
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert (
        try_login(app.test_client(), "admin2@example.org", "a good long password").status_code
        == 303
    )


def test_create_refuses_bad_input_and_keeps_what_was_typed(app, client, login):
    login(client, role="admin")
    make_staff(email="taken@example.org")
    duplicate = _new_user(client, email="taken@example.org", name="Someone Typed")
    html = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 200
    assert "Det finnes allerede en konto med denne e-postadressen." in html
    assert 'value="Someone Typed"' in html
    bad = _new_user(client, email="no-at-sign", password="short", role="boss")
    html = bad.get_data(as_text=True)
    assert "Skriv inn en e-postadresse som" in html and "Bruk minst 8 tegn." in html
    assert "Not a valid choice" in html or "Velg en rolle." in html or 'id="role-error"' in html
    assert db.session.scalar(select(db.func.count()).select_from(StaffUser)) == 2


def test_admin_edits_role_language_and_active(app, client, login):
    login(client, role="admin")
    user = make_staff(name="Kari", role="staff")
    other_browser = app.test_client()
    login(other_browser, user)
    page = f"{USERS}/{user.id}"
    response = post(client, page, {"name": "Kari N.", "role": "admin", "lang": "en"}, page=page)
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.name, user.role, user.lang, user.active) == ("Kari N.", "admin", "en", False)
    assert other_browser.get("/inbox/account").status_code == 303  # deactivated: signed out


def test_edit_ignores_fields_it_does_not_offer(app, client, login):
    login(client, role="admin")
    user = make_staff(email="kari@example.org")
    page = f"{USERS}/{user.id}"
    fields = {
        "name": "Kari",
        "role": "staff",
        "lang": "nb",
        "active": "y",
        "email": "attacker@example.org",
        "password_hash": "x",
        "session_version": "99",
    }
    post(client, page, fields, page=page)
    db.session.refresh(user)
    assert user.email == "kari@example.org" and user.session_version == 1
    assert user.password_hash.startswith("$argon2id$")


def test_deactivate_button_ends_the_accounts_sessions(app, client, login):
    login(client, role="admin")
    user = make_staff()
    other_browser = app.test_client()
    login(other_browser, user)
    response = post(client, f"{USERS}/{user.id}/deactivate", page=USERS)
    assert response.headers["Location"] == f"{USERS}/{user.id}"
    db.session.refresh(user)
    assert not user.active and user.session_version == 2
    assert other_browser.get("/inbox/account").status_code == 303


def test_the_last_admin_cannot_be_deactivated_or_demoted(app, client, login):
    admin = login(client, role="admin")
    page = f"{USERS}/{admin.id}"
    response = post(
        client, page, {"name": admin.name, "role": "staff", "lang": "nb", "active": "y"}, page=page
    )
    assert "Det må alltid være minst én aktiv administrator." in response.get_data(as_text=True)
    post(client, f"{page}/deactivate", page=USERS)
    db.session.refresh(admin)
    assert admin.active and admin.role == "admin"
    html = client.get(page).get_data(as_text=True)
    assert "Det må alltid være minst én aktiv administrator." in html


def test_admin_sends_a_reset_link(app, client, login):
    login(client, role="admin")
    user = make_staff(email="kari@example.org", lang="en")
    response = post(client, f"{USERS}/{user.id}/reset-link", page=USERS)
    assert response.status_code == 303
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == "kari@example.org" and message.lang == "en"
    assert "er på vei til" in client.get(f"{USERS}/{user.id}").get_data(as_text=True)


def test_reset_link_is_refused_for_a_deactivated_account(app, client, login):
    login(client, role="admin")
    user = make_staff(active=False)
    post(client, f"{USERS}/{user.id}/reset-link", page=USERS)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert "Denne kontoen er deaktivert." in client.get(f"{USERS}/{user.id}").get_data(as_text=True)
