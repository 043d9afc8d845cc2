"""SECURITY.md O1: the Mozilla HTTP Observatory scoring table applied to one response's headers.

Penalties and bonuses as in mdn/mdn-http-observatory (``src/grader/charts.js``); bonuses count
only when the base score is at least 90. A+ is 100 or more.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}


def _csp(headers) -> dict[str, str]:
    directives = {}
    for part in headers.get("Content-Security-Policy", "").split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name.lower()] = value.strip()
    return directives


def _cookie_penalty(headers) -> tuple[int, bool]:
    penalty, all_flagged = 0, True
    for raw in headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(raw)
        lowered = raw.lower()
        for name in cookie:
            secure, httponly = "; secure" in lowered, "; httponly" in lowered
            samesite_none = "samesite=none" in lowered
            if "sess" in name.lower() and not httponly:
                penalty -= 30
            if "sess" in name.lower() and not secure:
                penalty -= 40
            if samesite_none and not secure:
                penalty -= 20
            all_flagged = all_flagged and secure and "samesite=" in lowered
    return penalty, all_flagged and bool(headers.getlist("Set-Cookie"))


def score(headers, https: bool = True) -> int:
    """The Observatory score of a response served over HTTPS (HSTS is judged only then)."""
    csp = _csp(headers)
    base = 100
    if not csp:
        base -= 25
    elif "'unsafe-inline'" in csp.get("script-src", csp.get("default-src", "")):
        base -= 20
    if https and "max-age" not in headers.get("Strict-Transport-Security", ""):
        base -= 20
    if "frame-ancestors" not in csp and headers.get("X-Frame-Options", "").upper() not in {
        "DENY",
        "SAMEORIGIN",
    }:
        base -= 20
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        base -= 5
    cookie_penalty, cookies_flagged = _cookie_penalty(headers)
    base += cookie_penalty
    if base < 90:
        return base
    bonus = 0
    unsafe = any("'unsafe-" in value for value in csp.values())
    if csp.get("default-src") == "'none'" and csp.get("form-action") == "'self'" and not unsafe:
        bonus += 10
    if "frame-ancestors" in csp:
        bonus += 5
    if headers.get("Referrer-Policy", "").split(",")[-1].strip().lower() in PRIVATE_REFERRER:
        bonus += 5
    if headers.get("Cross-Origin-Resource-Policy", "").lower() in {"same-origin", "same-site"}:
        bonus += 10
    if "preload" in headers.get("Strict-Transport-Security", ""):
        bonus += 5
    if cookies_flagged:
        bonus += 5
    return base + bonus
