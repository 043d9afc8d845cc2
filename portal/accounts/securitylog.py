"""Security log lines (SECURITY.md A8): login attempts and failed authorisations, injection-safe.

Every value that came from outside is passed through ``encode()``: control characters and line
separators become visible escapes, so one event is always one log line. Passwords never reach
this module; clients appear only as the keyed hash Flask-Limiter already uses.
"""

from __future__ import annotations

import logging

log = logging.getLogger("portal.security")
MAX_VALUE = 300


def encode(value: object) -> str:
    """``value`` as a quoted single-line string with control characters escaped."""
    text = str(value)[:MAX_VALUE]
    out = []
    for char in text:
        if char in {"\\", '"'}:
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return '"' + "".join(out) + '"'


def _line(event: str, **fields: object) -> str:
    parts = [event]
    parts.extend(f"{name}={encode(value)}" for name, value in fields.items() if value is not None)
    return " ".join(parts)


def login_succeeded(user_id: int, email: str, client_key: str) -> None:
    log.info(_line("login.success", user_id=user_id, email=email, client=client_key))


def login_failed(email: str, client_key: str, reason: str, user_id: int | None = None) -> None:
    log.warning(
        _line("login.failure", reason=reason, email=email, user_id=user_id, client=client_key)
    )


def session_rejected(user_ref: str, path: str, reason: str) -> None:
    log.info(_line("session.rejected", reason=reason, user=user_ref, path=path))


def access_denied(user_id: int | None, path: str, reason: str) -> None:
    log.warning(_line("authz.denied", reason=reason, user_id=user_id, path=path))


def account_event(event: str, actor_id: int | None, user_id: int, **fields: object) -> None:
    """An administrative change to an account (created, role changed, sessions ended...)."""
    log.info(_line(f"account.{event}", actor_id=actor_id, user_id=user_id, **fields))
