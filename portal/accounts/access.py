"""Who may see an inbox page: ``staff_required``, ``admin_required``, the staff nav registry.

Every inbox view is wrapped in one of the two decorators (A4, issue 4 item 7). Anonymous visitors
and ended sessions go to the login page with ``next``; plain staff on an admin page get a 403 page.
Each refusal is logged (A8). Features add their own links to the staff nav with
``register_staff_nav`` instead of editing the layout.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts import securitylog
from portal.web.areas import STAFF_PREFIX
from portal.web.htmx import see_other

DEFAULT_ORDER = 50
NAV = "portal.staff_nav"  # app.extensions key: the links features add, as dicts


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a local path under ``/inbox/`` (no open redirect), else None."""
    if not target or len(target) > 2000:
        return None
    if any(ord(char) < 0x20 or char in "\\\x7f" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(STAFF_PREFIX + "/"):
        return None
    if ".." in parts.path.split("/") or "//" in parts.path:
        return None
    return target


def home_url() -> str:
    """Where a signed-in user lands: the inbox when it exists, else their account page."""
    if "inbox.index" in current_app.view_functions:
        return url_for("inbox.index")
    return url_for("accounts.account")


def login_redirect():
    """Send an anonymous visitor (or an ended session) to the login page, keeping ``next``."""
    securitylog.access_denied(None, request.path, g.get("session_ended") or "anonymous")
    if g.get("session_ended") in {"idle_timeout", "absolute_timeout"}:
        flash(_l("Your session has expired. Please sign in again."), "info")
    # Only a page can be returned to: after a refused POST the user starts again from home.
    target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    return see_other(
        url_for("accounts.login", next=target) if target else url_for("accounts.login")
    )


def forbidden():
    """The staff 403 page, logged."""
    securitylog.access_denied(current_user.id, request.path, "not_admin")
    return render_template("accounts/forbidden.html"), 403


def staff_required(view: Callable) -> Callable:
    """The view needs a signed-in, active account (any role)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_redirect()
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    """The view needs a signed-in, active admin; other staff get the 403 page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_redirect()
        if not current_user.is_admin:
            return forbidden()
        return view(*args, **kwargs)

    return wrapped


def register_staff_nav(
    app: Flask,
    endpoint: str,
    label,
    admin_only: bool = False,
    *,
    order: int = DEFAULT_ORDER,
    match: str | None = None,
) -> None:
    """Add a link to the staff nav: lower ``order`` first; shown only if the endpoint exists.

    The link is marked current on ``endpoint`` and on endpoints starting with ``match``.
    """
    entries = app.extensions.setdefault(NAV, [])
    entries[:] = [entry for entry in entries if entry["endpoint"] != endpoint]
    entries.append(
        {
            "endpoint": endpoint,
            "label": label,
            "admin_only": admin_only,
            "order": order,
            "match": match,
        }
    )


def staff_nav() -> list[dict]:
    """The nav entries the current user may see, with ``url`` and ``current`` filled in."""
    if not current_user.is_authenticated:
        return []
    entries = current_app.extensions.get(NAV, [])
    entries = sorted(entries, key=lambda entry: entry.get("order", DEFAULT_ORDER))
    shown = []
    for entry in entries:
        if entry["endpoint"] not in current_app.view_functions:
            continue
        if entry["admin_only"] and not current_user.is_admin:
            continue
        endpoint = request.endpoint or ""
        match = entry.get("match")
        current = endpoint == entry["endpoint"] or bool(match and endpoint.startswith(match))
        shown.append({**entry, "url": url_for(entry["endpoint"]), "current": current})
    return shown


def init_app(app: Flask) -> None:
    from portal.extensions import login_manager

    login_manager.unauthorized_handler(login_redirect)
    app.jinja_env.globals["staff_nav"] = staff_nav
    register_staff_nav(
        app, "accounts.users", _l("Users"), admin_only=True, order=80, match="accounts.user"
    )
    register_staff_nav(app, "accounts.account", _l("My account"), order=90)
