"""The Mozilla HTTP Observatory scoring table (SECURITY.md O1), applied to our own headers.

Scoring starts at 100; penalties apply; bonuses count only when the base score is >= 90.
A+ is 100 or more.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.cookies import SimpleCookie


def _csp(headers) -> dict[str, str]:
    policy = headers.get("Content-Security-Policy")
    if not policy:
        return {}
    directives = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name.lower()] = value.strip()
    return directives


def _cookies(set_cookie_headers: Iterable[str]) -> list[tuple[str, str]]:
    cookies = []
    for header in set_cookie_headers:
        name = SimpleCookie(header.split(";", 1)[0]).keys()
        attributes = header.lower()
        cookies.extend((key, attributes) for key in name)
    return cookies


def score(headers, set_cookie_headers: Iterable[str] = ()) -> tuple[int, list[str]]:
    """Return (score, notes) for a response's headers, by SECURITY.md's table."""
    notes: list[str] = []
    base = 100
    csp = _csp(headers)
    unsafe = any(
        "'unsafe-inline'" in csp.get(d, "") or "'unsafe-eval'" in csp.get(d, "")
        for d in ("script-src", "default-src")
    )
    if not csp:
        base -= 25
        notes.append("CSP missing -25")
    elif unsafe:
        base -= 20
        notes.append("unsafe-inline in scripts -20")
    if "max-age" not in headers.get("Strict-Transport-Security", ""):
        base -= 20
        notes.append("HSTS missing -20")
    framing = "frame-ancestors" in csp or headers.get("X-Frame-Options")
    if not framing:
        base -= 20
        notes.append("framing protection missing -20")
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        base -= 5
        notes.append("nosniff missing -5")
    cookies = _cookies(set_cookie_headers)
    for name, attributes in cookies:
        if "sess" in name.lower() and "httponly" not in attributes:
            base -= 30
            notes.append(f"{name} without HttpOnly -30")
        if "sess" in name.lower() and "secure" not in attributes:
            base -= 40
            notes.append(f"{name} without Secure -40")
        if "samesite=none" in attributes and "secure" not in attributes:
            base -= 20
            notes.append(f"{name} SameSite=None without Secure -20")
    if base < 90:
        return base, notes
    total = base
    if csp.get("default-src") == "'none'" and csp.get("form-action") == "'self'" and not unsafe:
        total += 10
        notes.append("strict CSP +10")
    if "frame-ancestors" in csp:
        total += 5
        notes.append("frame-ancestors +5")
    private = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    if headers.get("Referrer-Policy", "").lower() in private:
        total += 5
        notes.append("private Referrer-Policy +5")
    if headers.get("Cross-Origin-Resource-Policy", "").lower() in {"same-origin", "same-site"}:
        total += 10
        notes.append("CORP +10")
    if "preload" in headers.get("Strict-Transport-Security", ""):
        total += 5
        notes.append("HSTS preload +5")
    if cookies and all("secure" in a and "samesite" in a for _, a in cookies):
        total += 5
        notes.append("cookies Secure+SameSite +5")
    return total, notes
