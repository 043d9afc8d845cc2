"""Brute-force controls for staff login (SECURITY.md A2): per-account and per-client locks.

Per account: every ``ACCOUNT_FAILURES`` consecutive failures lock the account for a while that
doubles each time (15, 30, 60 minutes) and never grows past ``ACCOUNT_LOCK_MAX``. Attempts during
a lock are refused without checking the password and do not extend it; a successful login or a
new password (the reset link keeps working while locked) clears the count. So an attacker can
slow a user down, never lock them out for good.

Per client (hashed address): failures counted in fixed windows in Flask-Limiter's store (memory,
or Redis shared by every worker); a client over a window's budget is refused until the window
ends. This is on top of Flask-Limiter's plain request limit on the login POST.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from limits import parse_many
from limits.strategies import FixedWindowRateLimiter

from portal.extensions import limiter

ACCOUNT_FAILURES = 5
ACCOUNT_LOCK_FIRST = timedelta(minutes=15)
ACCOUNT_LOCK_MAX = timedelta(minutes=60)
CLIENT_FAILURE_LIMITS = "20 per 15 minutes;100 per day"
NAMESPACE = "login-failure"


def account_lock_after(failures: int) -> timedelta | None:
    """How long to lock an account that has just reached ``failures`` consecutive failures."""
    if failures < ACCOUNT_FAILURES or failures % ACCOUNT_FAILURES:
        return None
    rounds = failures // ACCOUNT_FAILURES - 1
    return min(ACCOUNT_LOCK_FIRST * (2 ** min(rounds, 16)), ACCOUNT_LOCK_MAX)


def account_locked(locked_until: datetime | None, now: datetime) -> bool:
    """True while an account lock is in force."""
    return locked_until is not None and locked_until > now


def _strategy() -> FixedWindowRateLimiter:
    return FixedWindowRateLimiter(limiter.storage)


def client_blocked(client_key: str) -> bool:
    """True if this client has used up a failure budget in the current window."""
    strategy = _strategy()
    return any(
        not strategy.test(item, NAMESPACE, client_key) for item in parse_many(CLIENT_FAILURE_LIMITS)
    )


def record_client_failure(client_key: str) -> None:
    """Count one failed login against the client in every window."""
    strategy = _strategy()
    for item in parse_many(CLIENT_FAILURE_LIMITS):
        strategy.hit(item, NAMESPACE, client_key)
