"""Helpers for the accounts tests: signing in through the form, reading cookies."""

from __future__ import annotations

from http.cookies import SimpleCookie

from tests.staff_forms import post


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
