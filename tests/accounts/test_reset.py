"""Forgotten passwords: same answer for every address, links through the outbox, single-use, 1 h."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from portal.accounts import services
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.accounts.support import try_login
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.staff_forms import post, token
from tests.tampering import tampered

START = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
NEW_PASSWORD = "a new and long passphrase"


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _reset_path(message: OutboxMessage) -> str:
    match = re.search(r"http://127\.0\.0\.1:5000(/inbox/password/reset/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def _forgot(client, email: str, **kwargs):
    return post(
        client, "/inbox/password/forgot", {"email": email}, page="/inbox/password/forgot", **kwargs
    )


def test_forgot_sends_a_link_through_the_outbox(app, client):
    make_staff(email="kari@example.org", name="Kari Nordmann", lang="nn")
    response = _forgot(client, "Kari@example.org")
    assert response.status_code == 303 and response.headers["Location"] == "/inbox/login"
    [message] = _outbox()
    assert (message.kind, message.recipient, message.lang, message.status) == (
        "password_reset",
        "kari@example.org",
        "nn",
        "pending",
    )
    assert message.subject == "Nytt passord til SESAM-innboksen"
    assert message.body_text.startswith("Hei Kari,") and "{%" not in message.body_text
    assert "block" not in message.body_text and "Nytt passord til" not in message.body_text
    assert 'lang="nn"' in message.body_html and _reset_path(message) in message.body_html
    assert "i 60 minutt" in message.body_text
    assert not list(Path(app.config["MAIL_FILE_DIR"]).glob("*"))  # nothing sent in the request


def test_forgot_answers_the_same_for_unknown_and_deactivated_addresses(app, client):
    make_staff(email="kari@example.org")
    make_staff(email="gone@example.org", active=False)
    answers = []
    for email in ("kari@example.org", "nobody@example.org", "gone@example.org"):
        response = _forgot(client, email)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        flash = re.search(r'<p class="notice[^"]*">([^<]+)</p>', page).group(1)
        answers.append((response.status_code, response.headers["Location"], flash))
    assert answers[0] == answers[1] == answers[2]
    assert "Hvis det finnes en konto" in answers[0][2]
    assert [m.recipient for m in _outbox()] == ["kari@example.org"]


def test_forgot_validates_the_address(app, client):
    response = _forgot(client, "not an address")
    assert response.status_code == 200
    assert "Skriv inn en e-postadresse som" in response.get_data(as_text=True)
    assert _outbox() == []


def test_forgot_is_rate_limited(app, client):
    statuses = [_forgot(client, f"x{n}@example.org").status_code for n in range(6)]
    assert statuses == [303] * 5 + [429]


def test_reset_link_sets_a_new_password_once(app, client):
    user = make_staff(email="kari@example.org")
    _forgot(client, "kari@example.org")
    path = _reset_path(_outbox()[0])
    assert client.get(path).status_code == 200
    response = post(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=path)
    assert response.status_code == 303 and response.headers["Location"] == "/inbox/login"
    assert try_login(client, "kari@example.org", DEFAULT_PASSWORD).status_code == 200
    assert try_login(client, "kari@example.org", NEW_PASSWORD).status_code == 303
    db.session.refresh(user)
    assert user.session_version == 2
    used = client.get(path)
    assert used.status_code == 400 and "Denne lenken virker ikke" in used.get_data(as_text=True)
    csrf = token(client, "/inbox/account")
    again = client.post(
        path,
        data={
            "password": "yet another passphrase",
            "confirm": "yet another passphrase",
            "csrf_token": csrf,
        },
    )
    assert again.status_code == 400


def test_reset_link_expires_after_an_hour(app, client):
    make_staff(email="kari@example.org")
    with time_machine.travel(START, tick=False) as traveller:
        _forgot(client, "kari@example.org")
        path = _reset_path(_outbox()[0])
        traveller.shift(timedelta(minutes=59))
        assert client.get(path).status_code == 200
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert client.get(path).status_code == 400
        response = post(
            client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page="/inbox/login"
        )
        assert response.status_code == 400


@pytest.mark.parametrize("mangle", [tampered, lambda t: "x" + t, lambda t: "abc"])
def test_tampered_reset_link_does_not_work(app, client, mangle):
    user = make_staff(email="kari@example.org")
    path = "/inbox/password/reset/" + mangle(services.tokens.make_reset_token(user))
    assert client.get(path).status_code == 400


def test_reset_token_for_another_purpose_is_refused(app, client):
    from itsdangerous import URLSafeTimedSerializer

    user = make_staff(email="kari@example.org")
    other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else")
    forged = other.dumps({"u": user.id, "f": "0" * 24})
    assert client.get(f"/inbox/password/reset/{forged}").status_code == 400


def test_reset_enforces_the_policy_and_keeps_the_link(app, client):
    user = make_staff(email="kari@example.org")
    path = "/inbox/password/reset/" + services.tokens.make_reset_token(user)
    response = post(client, path, {"password": "short", "confirm": "short"}, page=path)
    assert response.status_code == 200 and "Bruk minst 8 tegn." in response.get_data(as_text=True)
    mismatch = post(
        client, path, {"password": NEW_PASSWORD, "confirm": "different words here"}, page=path
    )
    assert "De to passordene er ikke like." in mismatch.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_reset_lifts_a_lock_and_ends_old_sessions(app, client, login):
    user = make_staff(email="kari@example.org")
    other_browser = app.test_client()
    login(other_browser, user)
    for _ in range(5):
        try_login(client, "kari@example.org", "wrong password")
    path = "/inbox/password/reset/" + services.tokens.make_reset_token(user)
    post(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=path)
    assert try_login(client, "kari@example.org", NEW_PASSWORD).status_code == 303
    assert other_browser.get("/inbox/account").status_code == 303


def test_reset_email_escapes_the_name_in_html(app):
    user = make_staff(
        email="kari@example.org",
        name='<script>alert(1)</script> "><img src=x onerror=alert(1)>',
        lang="en",
    )
    services.send_reset_link(user.id)
    [message] = _outbox()
    assert "<script>" not in message.body_html and "&lt;script&gt;" in message.body_html
    assert message.subject == "New password for the SESAM inbox"
    assert "\n" not in message.subject


def test_new_account_email_invites_to_choose_a_password(app):
    services.create_user(
        email="ola@example.org", name="Ola", role="staff", lang="en", send_link=True
    )
    [message] = _outbox()
    assert message.subject == "Choose a password for the SESAM inbox"
    assert "An account has been made for you" in message.body_text


def test_forgot_does_the_same_work_for_an_unknown_address(app, client, monkeypatch):
    """The link's mail is made for an unknown address too (and not kept), so the time a request
    takes does not tell whether an account exists; bench/password_reset.py measures it."""
    from portal.outbox import queueing

    rendered = []
    real = queueing.render_message

    def counting(*args, **kwargs):
        rendered.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(queueing, "render_message", counting)
    make_staff(email="kari@example.org")
    assert _forgot(client, "nobody@example.org").status_code == 303
    assert _forgot(client, "kari@example.org").status_code == 303
    assert rendered == ["password_reset", "password_reset"]
    assert [m.recipient for m in _outbox()] == ["kari@example.org"]
