"""Staff sessions (SECURITY.md A3, E2): cookie scope, login/logout, version check, timeouts.

The session is Flask's signed cookie holding Flask-Login's ``_user_id`` ("id:session_version"),
``login_at`` and ``seen_at`` (epoch seconds). A request under ``/inbox`` is refused its user when
the account is deactivated, the version was bumped (logout, new password, admin) or a timeout
passed. Only ``/inbox`` responses may ever write the cookie (SPEC: public pages set no cookie).
"""

from __future__ import annotations

from datetime import timedelta

import flask_babel
from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user

from portal.accounts import queries, securitylog
from portal.accounts.models import StaffUser
from portal.extensions import login_manager
from portal.timestamps import utcnow
from portal.web.areas import is_staff_path
from portal.web.i18n import DEFAULT_LANG, LANGS

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=10)


class StaffOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, read and saved on ``/inbox`` requests only.

    A public request gets an empty session whatever cookie it brings: no public page depends
    on who is logged in, and checking the cookie's signature would cost every public page.
    Whatever a public view or extension touches, a public response never carries a
    ``Set-Cookie`` (and the permanent session is never refreshed from a public page).
    """

    def open_session(self, app: Flask, request):
        if not is_staff_path(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not is_staff_path(request.path):
            return
        super().save_session(app, session, response)


def cookie_settings(public_base_url: str) -> dict:
    """E2: HttpOnly, SameSite=Lax; Secure and the ``__Host-`` prefix when served over HTTPS."""
    https = public_base_url.lower().startswith("https://")
    return {
        "SESSION_COOKIE_NAME": "__Host-sesam_staff" if https else "sesam_staff",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
    }


def _now() -> int:
    return int(utcnow().timestamp())


def start_session(user: StaffUser) -> None:
    """A fresh session for ``user``: nothing from the previous one survives (no fixation)."""
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    session["login_at"] = session["seen_at"] = _now()


def end_session() -> None:
    """Forget the user in this browser (the caller bumps the version to end it everywhere)."""
    logout_user()
    session.clear()


@login_manager.user_loader
def load_user(token: str) -> StaffUser | None:
    """The account behind ``id:version`` if it is active and the version is current."""
    user_id, _, version = token.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = queries.user_by_id(int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _expiry_reason() -> str | None:
    now = _now()
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return "malformed"
    if now - login_at > current_app.config["STAFF_ABSOLUTE_TIMEOUT"].total_seconds():
        return "absolute_timeout"
    if now - seen_at > current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds():
        return "idle_timeout"
    return None


def check_session() -> None:
    """Before every ``/inbox`` request: drop a stale or expired session, note the activity."""
    if "_user_id" not in session:
        return
    reason = _expiry_reason()
    if reason is None and not current_user.is_authenticated:
        reason = "ended"  # deactivated, or the version was bumped (logout, admin, new password)
    if reason is not None:
        securitylog.session_rejected(str(session.get("_user_id")), request.path, reason)
        end_session()
        g.session_ended = reason
        return
    _note_activity()


def _note_activity() -> None:
    """Move ``seen_at`` to now, at most about once a minute: each move signs the cookie again and
    sends it with the response, and the idle timeout does not need the second.
    (The step is a thirtieth of the idle timeout at most, so a short timeout stays exact.)"""
    now = _now()
    idle = current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    if now - session["seen_at"] >= min(60, idle // 30):
        session["seen_at"] = now


def reset_request_state() -> None:
    """Forget what an earlier request cached on ``g`` (user, verdict, CSRF token, locale).

    ``g`` lives on the app context, which several requests can share (a test holding an app
    context, a request made from the CLI): a user or language must never leak between them.
    """
    for name in ("_login_user", "session_ended", "csrf_token"):
        g.pop(name, None)


def choose_lang() -> None:
    """The inbox speaks the user's language; before login, ``?lang=`` or Bokmål."""
    if current_user.is_authenticated and current_user.lang in LANGS:
        g.lang = current_user.lang
    else:
        asked = request.args.get("lang")
        g.lang = asked if asked in LANGS else DEFAULT_LANG
    flask_babel.refresh()  # Babel caches the locale per context: make it this request's


def before_staff_request() -> None:
    """Registered with ``bp.before_app_request``; acts on ``/inbox`` paths only."""
    if not is_staff_path(request.path):
        return
    reset_request_state()
    check_session()
    choose_lang()


def init_app(app: Flask) -> None:
    app.session_interface = StaffOnlySessionInterface()
    app.config.update(cookie_settings(app.config["PUBLIC_BASE_URL"]))
    app.config.setdefault("STAFF_IDLE_TIMEOUT", IDLE_TIMEOUT)
    app.config.setdefault("STAFF_ABSOLUTE_TIMEOUT", ABSOLUTE_TIMEOUT)
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["STAFF_ABSOLUTE_TIMEOUT"]
    # The cookie is written when the session changes (login, ``seen_at`` about once a minute,
    # the CSRF secret), not signed again on every response: the timeouts are checked on the
    # server from ``login_at`` and ``seen_at``, never from the cookie's own expiry.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    # A cookie captured from a past login must never come back by itself: no "remember me".
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(seconds=0)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"
