"""Logging in at /inbox/login: success, generic failure, locks, throttles, session renewal, next."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from portal.accounts import throttle, tokens
from portal.accounts.models import StaffUser
from portal.extensions import db
from tests.accounts.support import session_cookie, try_login
from tests.factories import DEFAULT_PASSWORD, make_staff
from tests.staff_forms import post, token

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GENERIC = "The email address or the password is not right"


def _body(response) -> str:
    """The page without its per-session CSRF tokens, to compare two responses."""
    return re.sub(
        r"value=\"[^\"]{40,}\"|X-CSRFToken\": \"[^\"]+\"", "TOKEN", response.get_data(as_text=True)
    )


def test_login_succeeds_and_lands_on_the_staff_home(app, client):
    user = make_staff(email="kari@example.org")
    response = try_login(client, "kari@example.org", DEFAULT_PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox/"  # the enquiry list is the staff home
    assert client.get("/inbox/account").status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None and user.failed_logins == 0


def test_login_email_is_case_and_space_insensitive(app, client):
    make_staff(email="kari@example.org")
    assert try_login(client, "  Kari@Example.ORG ", DEFAULT_PASSWORD).status_code == 303


def test_login_page_renders_in_the_asked_language(app, client):
    assert '<html lang="nn">' in client.get("/inbox/login?lang=nn").get_data(as_text=True)
    assert '<html lang="nb">' in client.get("/inbox/login?lang=xx").get_data(as_text=True)
    html = client.get("/inbox/login?lang=en").get_data(as_text=True)
    assert "Sign in to the SESAM inbox" in html and 'href="/inbox/password/forgot?lang=en"' in html


def test_login_failure_message_does_not_say_which_part_was_wrong(app, client):
    make_staff(email="kari@example.org")
    make_staff(email="gone@example.org", active=False)
    wrong_password = try_login(
        client, "kari@example.org", "not the password", query_string={"lang": "en"}
    )
    unknown_email = try_login(
        client, "nobody@example.org", "not the password", query_string={"lang": "en"}
    )
    inactive = try_login(client, "gone@example.org", DEFAULT_PASSWORD, query_string={"lang": "en"})
    assert wrong_password.status_code == unknown_email.status_code == inactive.status_code == 200
    assert GENERIC in wrong_password.get_data(as_text=True)
    pages = {
        _body(r).replace(email, "E")
        for r, email in zip(
            (wrong_password, unknown_email, inactive),
            ("kari@example.org", "nobody@example.org", "gone@example.org"),
            strict=True,
        )
    }
    assert len(pages) == 1
    with client.session_transaction("/inbox/") as sess:
        assert "_user_id" not in sess


def test_login_form_errors_keep_the_email_and_never_echo_the_password(app, client):
    response = try_login(client, "kari@example.org", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="kari@example.org"' in html and 'href="#password-field"' in html
    response = try_login(client, "kari@example.org", "secret typed wrong")
    assert "secret typed wrong" not in response.get_data(as_text=True)


def test_account_locks_after_five_failures_and_unlocks_after_fifteen_minutes(app, client):
    user = make_staff(email="kari@example.org")
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            try_login(client, "kari@example.org", "wrong password")
        db.session.refresh(user)
        assert user.locked_until == START + timedelta(minutes=15)
        locked = try_login(
            client, "kari@example.org", DEFAULT_PASSWORD, query_string={"lang": "en"}
        )
        assert locked.status_code == 200 and GENERIC in locked.get_data(as_text=True)
        traveller.shift(timedelta(minutes=14))
        assert try_login(client, "kari@example.org", DEFAULT_PASSWORD).status_code == 200
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert try_login(client, "kari@example.org", DEFAULT_PASSWORD).status_code == 303
    db.session.refresh(user)
    assert user.failed_logins == 0 and user.locked_until is None


def test_account_lock_grows_but_stays_temporary(app, client):
    user = make_staff(email="kari@example.org")
    durations = []
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(4):
            for _ in range(5):
                try_login(client, "kari@example.org", "wrong password")
            db.session.refresh(user)
            durations.append(user.locked_until - datetime.now(UTC))
            traveller.shift(durations[-1] + timedelta(seconds=1))
        assert try_login(client, "kari@example.org", DEFAULT_PASSWORD).status_code == 303
    assert durations == [timedelta(minutes=m) for m in (15, 30, 60, 60)]


def test_attempts_during_a_lock_do_not_extend_it(app, client):
    user = make_staff(email="kari@example.org")
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            try_login(client, "kari@example.org", "wrong password")
        traveller.shift(timedelta(minutes=10))
        for _ in range(3):
            try_login(client, "kari@example.org", "wrong password")
        db.session.refresh(user)
        assert user.locked_until == START + timedelta(minutes=15) and user.failed_logins == 5


def test_client_is_throttled_after_twenty_failures_whatever_the_accounts(make_app):
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        make_staff(email="kari@example.org")
        client = app.test_client()
        with time_machine.travel(START, tick=False) as traveller:
            for number in range(20):
                assert (
                    try_login(client, f"guess{number}@example.org", "wrong password").status_code
                    == 200
                )
            refused = try_login(
                client, "kari@example.org", DEFAULT_PASSWORD, query_string={"lang": "en"}
            )
            assert refused.status_code == 429
            assert "too many attempts to sign in from this device" in refused.get_data(as_text=True)
            other_client = app.test_client()
            other_client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
            assert try_login(other_client, "kari@example.org", DEFAULT_PASSWORD).status_code == 303
            traveller.shift(timedelta(minutes=15, seconds=1))
            assert try_login(client, "kari@example.org", DEFAULT_PASSWORD).status_code == 303


def test_limiter_answers_the_eleventh_login_post_in_a_minute_with_429(app, client):
    make_staff(email="kari@example.org")
    statuses = [try_login(client, "kari@example.org", "wrong").status_code for _ in range(10)]
    assert statuses == [200] * 10
    response = try_login(client, "kari@example.org", DEFAULT_PASSWORD, query_string={"lang": "nn"})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert '<html lang="nn">' in html and "for mange forsøk" in html and 'name="email"' in html


def test_limiter_ignores_a_spoofed_forwarded_for_header(app, client):
    for number in range(10):
        headers = {"X-Forwarded-For": f"198.51.100.{number}"}
        try_login(client, "kari@example.org", "wrong", headers=headers)
    response = try_login(
        client, "kari@example.org", "wrong", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert response.status_code == 429


def test_login_renews_the_session(app, client):
    make_staff(email="kari@example.org")
    token(client)
    with client.session_transaction("/inbox/") as sess:
        sess["planted"] = "by an attacker"
    before = session_cookie(client)
    assert try_login(client, "kari@example.org", DEFAULT_PASSWORD).status_code == 303
    after = session_cookie(client)
    assert after and after != before
    with client.session_transaction("/inbox/") as sess:
        assert "planted" not in sess
        assert set(sess) >= {"_user_id", "login_at", "seen_at"}
        assert sess.permanent


def test_signed_in_user_visiting_login_goes_home(app, client, login):
    login(client)
    response = client.get("/inbox/login")
    assert response.status_code == 302 and response.headers["Location"] == "/inbox/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/inbox/",
        "//evil.example/inbox/",
        "/\\evil.example",
        "/inbox/../evil",
        "javascript:alert(1)",
        "/personvern",
        "/inbox//evil.example",
        "/inbox/\r\nSet-Cookie: x=y",
        "inbox/account",
    ],
)
def test_login_next_refuses_anything_but_a_local_inbox_path(app, client, target):
    make_staff(email="kari@example.org")
    response = try_login(
        client, "kari@example.org", DEFAULT_PASSWORD, query_string={"next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox/"


def test_login_next_goes_to_a_local_inbox_path(app, client):
    make_staff(email="kari@example.org")
    html = client.get("/inbox/login?next=/inbox/account%3Ftab%3D2").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/inbox/account?tab=2"' in html
    response = client.post(
        "/inbox/login",
        data={
            "email": "kari@example.org",
            "password": DEFAULT_PASSWORD,
            "next": "/inbox/account?tab=2",
            "csrf_token": token(client),
        },
    )
    assert response.headers["Location"] == "/inbox/account?tab=2"


def test_login_attempts_are_logged_without_the_password(app, client, caplog):
    make_staff(email="kari@example.org")
    caplog.set_level(logging.INFO, logger="portal.security")
    try_login(client, "kari@example.org", "Wrong-Secret-123")
    try_login(client, "kari@example.org", DEFAULT_PASSWORD)
    lines = [record.getMessage() for record in caplog.records if record.name == "portal.security"]
    assert any(
        line.startswith("login.failure") and 'reason="wrong_password"' in line for line in lines
    )
    assert any(
        line.startswith("login.success") and 'email="kari@example.org"' in line for line in lines
    )
    assert all("client=" in line for line in lines if line.startswith("login."))
    text = caplog.text
    assert "Wrong-Secret-123" not in text and DEFAULT_PASSWORD not in text
    assert "127.0.0.1" not in text  # only the keyed hash of the client address


def test_login_log_lines_encode_line_breaks(app, client, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    forged = 'x@example.org\r\nlogin.success user_id=1 email="admin@example.org"'
    try_login(client, forged, "whatever")
    records = [r for r in caplog.records if r.name == "portal.security"]
    assert len(records) == 1
    line = records[0].getMessage()
    assert "\n" not in line and "\r" not in line
    assert '\\x0d\\x0alogin.success user_id=1 email=\\"admin@example.org\\"' in line


def test_lock_and_failures_are_stored_not_the_attempted_passwords(app, client):
    make_staff(email="kari@example.org")
    try_login(client, "kari@example.org", "Attempted-Secret-1")
    user = db.session.scalar(db.select(StaffUser))
    assert user.failed_logins == 1
    assert "Attempted-Secret-1" not in repr(vars(user))


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failures_elsewhere_slow_the_owner_down_but_never_keep_them_out(app, monkeypatch):
    """Five wrong passwords from an attacker's client do not lock the owner out."""
    slowed = []
    monkeypatch.setattr(throttle, "slow_down", lambda: slowed.append(True))
    user = make_staff(email="kari@example.org")
    attacker, owner = _from(app, "203.0.113.66"), _from(app, "192.0.2.7")
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            assert try_login(attacker, "kari@example.org", "guess").status_code == 200
        db.session.refresh(user)
        assert throttle.account_locked(user.locked_until, START)
        # The attacker, even with the right password, stays out for a while.
        assert try_login(attacker, "kari@example.org", DEFAULT_PASSWORD).status_code == 200
        assert slowed == []
        # The owner, from a client that has not failed, gets in after a slow-down.
        assert try_login(owner, "kari@example.org", DEFAULT_PASSWORD).status_code == 303
        assert slowed == [True]
    db.session.refresh(user)
    assert user.failed_logins == 0 and user.locked_until is None


def test_a_clean_clients_wrong_password_during_an_attack_still_counts(app, monkeypatch):
    monkeypatch.setattr(throttle, "slow_down", lambda: None)
    user = make_staff(email="kari@example.org")
    attacker, owner = _from(app, "203.0.113.66"), _from(app, "192.0.2.7")
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            try_login(attacker, "kari@example.org", "guess")
        assert try_login(owner, "kari@example.org", "typo").status_code == 200
        db.session.refresh(user)
        assert user.failed_logins == 6
        # Having failed on the account during the attack, the owner's client waits too.
        assert try_login(owner, "kari@example.org", DEFAULT_PASSWORD).status_code == 200
        # The reset link still works for the owner.
        path = "/inbox/password/reset/" + tokens.make_reset_token(user)
        new = "a brand new passphrase"
        post(owner, path, {"password": new, "confirm": new}, page=path)
        assert try_login(owner, "kari@example.org", new).status_code == 303


def test_failures_on_one_account_do_not_keep_the_client_out_of_another(app):
    make_staff(email="kari@example.org")
    make_staff(email="ola@example.org")
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            try_login(app.test_client(), "kari@example.org", "guess")
        assert try_login(app.test_client(), "ola@example.org", DEFAULT_PASSWORD).status_code == 303
