"""Posting staff forms as a browser does: with the session's CSRF token, read from a real page."""

from __future__ import annotations

import re

_TOKEN = (
    re.compile(r'name="csrf_token"[^>]*value="([^"]+)"'),
    re.compile(r'value="([^"]+)"[^>]*name="csrf_token"'),
)


def csrf_token_from(html: str) -> str:
    """The session CSRF token a staff page rendered (``name="csrf_token" value="..."``)."""
    match = _TOKEN[0].search(html) or _TOKEN[1].search(html)
    assert match, "no csrf_token on the page"
    return match.group(1)


def token(client, page: str = "/inbox/login") -> str:
    """A CSRF token for ``client``'s session, read from ``page`` (signed in, the login page
    sends the client home, which has one too)."""
    return csrf_token_from(client.get(page, follow_redirects=True).get_data(as_text=True))


def post(client, path: str, data: dict | None = None, page: str = "/inbox/login", **kwargs):
    """POST ``data`` to ``path`` as a form without JavaScript, with a token from ``page``."""
    return client.post(path, data={**(data or {}), "csrf_token": token(client, page)}, **kwargs)


def hx_post(client, path: str, data: dict | None = None, page: str = "/inbox/login", target=None):
    """POST as htmx does: the token in the X-CSRFToken header, HX-Request (and HX-Target)."""
    headers = {"HX-Request": "true", "X-CSRFToken": token(client, page)}
    if target:
        headers["HX-Target"] = target
    return client.post(path, data=data or {}, headers=headers)
