"""Helpers for the accounts tests: CSRF tokens from real pages, cookie parsing, axe-core."""

from __future__ import annotations

import json
import re
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def token(client, path: str = "/inbox/login") -> str:
    """A CSRF token for ``client``'s current session, read from a staff page."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def post(client, path: str, data: dict | None = None, page: str = "/inbox/login", **kwargs):
    """POST ``data`` to ``path`` with a valid CSRF token scraped from ``page``."""
    return client.post(path, data={**(data or {}), "csrf_token": token(client, page)}, **kwargs)


def try_login(client, email: str, password: str, **kwargs):
    return post(client, "/inbox/login", {"email": email, "password": password}, **kwargs)


def set_cookies(response) -> dict[str, dict]:
    """Every Set-Cookie of ``response``: name -> {"value": ..., attribute: value}."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            attrs = {key.lower(): value for key, value in morsel.items() if value}
            flags = {part.strip().lower() for part in header.split(";")[1:]}
            attrs["secure"] = "secure" in flags
            attrs["httponly"] = "httponly" in flags
            cookies[name] = {"value": morsel.value, **attrs}
    return cookies


def session_cookie(client, name: str = "sesam_staff") -> str | None:
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def axe_violations(page) -> list[dict]:
    """Run axe-core (node_modules) on the page; the WCAG 2.x A/AA rules only."""
    page.evaluate((ROOT / "node_modules/axe-core/axe.min.js").read_text())
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("opts => axe.run(document, opts)", options)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1)
