"""A staff member's own account page: name, inbox language, password."""

from __future__ import annotations

from portal.extensions import db
from tests.accounts.support import session_cookie, try_login
from tests.factories import DEFAULT_PASSWORD
from tests.staff_forms import post

ACCOUNT = "/inbox/account"


def test_account_page_shows_the_user_in_their_language(app, client, login):
    user = login(client)
    html = client.get(ACCOUNT).get_data(as_text=True)
    assert '<html lang="nb">' in html and "Min konto" in html and user.email in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_changing_the_language_switches_the_inbox(app, client, login):
    user = login(client)
    response = post(client, ACCOUNT, {"name": "Kari Nordmann", "lang": "nn"}, page=ACCOUNT)
    assert response.status_code == 303
    html = client.get(ACCOUNT).get_data(as_text=True)
    assert (
        '<html lang="nn">' in html
        and "Kontoen min" in html
        and "Opplysningane dine er lagra." in html
    )
    db.session.refresh(user)
    assert (user.name, user.lang) == ("Kari Nordmann", "nn")
    post(client, ACCOUNT, {"name": "Kari Nordmann", "lang": "en"}, page=ACCOUNT)
    assert '<html lang="en">' in client.get(ACCOUNT).get_data(as_text=True)


def test_profile_refuses_an_empty_name_and_an_unknown_language(app, client, login):
    login(client)
    response = post(client, ACCOUNT, {"name": " ", "lang": "de"}, page=ACCOUNT)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Skriv inn et navn." in html
    assert 'href="#name-field"' in html


def test_change_password_keeps_this_session_and_ends_the_others(app, client, login):
    user = login(client)
    other_browser = app.test_client()
    login(other_browser, user)
    before = session_cookie(client)
    data = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": "my new passphrase",
        "confirm": "my new passphrase",
    }
    response = post(client, f"{ACCOUNT}/password", data, page=ACCOUNT)
    assert response.status_code == 303
    assert client.get(ACCOUNT).status_code == 200 and session_cookie(client) != before
    assert other_browser.get(ACCOUNT).status_code == 303
    assert try_login(app.test_client(), user.email, "my new passphrase").status_code == 303


def test_change_password_needs_the_current_one_and_the_policy(app, client, login):
    login(client)
    wrong = {
        "current_password": "not it at all",
        "new_password": "my new passphrase",
        "confirm": "my new passphrase",
    }
    html = post(client, f"{ACCOUNT}/password", wrong, page=ACCOUNT).get_data(as_text=True)
    assert "Passordet du har nå, er ikke riktig." in html
    short = {"current_password": DEFAULT_PASSWORD, "new_password": "short", "confirm": "short"}
    html = post(client, f"{ACCOUNT}/password", short, page=ACCOUNT).get_data(as_text=True)
    assert "Bruk minst 8 tegn." in html and 'value="short"' not in html


def test_shortcuts_and_the_digest_are_each_persons_own_choice(client, login):
    user = login(client)
    html = client.get("/inbox/account").get_data(as_text=True)
    assert 'checked class="choice__input" id="shortcuts"' in html
    assert 'data-shortcuts="on"' in html and 'id="shortcuts-heading"' in html
    response = post(
        client,
        "/inbox/account/settings",
        {"digest": "y", "digest_hour": "9"},
        page="/inbox/account",
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.shortcuts, user.digest, user.digest_hour) == (False, True, 9)
    html = client.get("/inbox/account").get_data(as_text=True)
    assert 'data-shortcuts="off"' in html and 'id="shortcuts-heading"' not in html


def test_a_digest_hour_that_is_not_offered_is_an_error(client, login):
    user = login(client)
    response = post(client, "/inbox/account/settings", {"digest_hour": "3"}, page="/inbox/account")
    assert response.status_code == 200
    assert "Velg et klokkeslett." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.digest, user.digest_hour) == (True, 7)
