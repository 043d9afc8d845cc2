"""Brute-force controls for staff login (SECURITY.md A2), counted per account *and* client.

A lockout must not be a weapon: whoever can guess an address could otherwise keep its owner
out. So failures are counted three ways:

- per account and client (hashed address), in Flask-Limiter's store: ``PAIR_FAILURES`` wrong
  passwords for one account from one client lock that client out of that account for the
  window; the right password from there is refused too, without being checked;
- per account, in the database: every ``ACCOUNT_FAILURES`` consecutive failures mark the account
  as under attack for a while that doubles each time (15, 30, 60 minutes, never more than
  ``ACCOUNT_LOCK_MAX``). During that while a client with no failures of its own on the account
  is slowed down (``SLOWDOWN_SECONDS`` before its password is checked), never refused: its
  right password signs in. A client that has failed on the account is refused;
- per client, whatever the accounts: a client over ``CLIENT_FAILURE_LIMITS`` is refused until
  the window ends (on top of Flask-Limiter's plain limit on the login POST).

A successful login or a new password (the reset link keeps working throughout) clears the
account's count.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from limits import parse, parse_many
from limits.strategies import FixedWindowRateLimiter

from portal.extensions import limiter

ACCOUNT_FAILURES = 5
ACCOUNT_LOCK_FIRST = timedelta(minutes=15)
ACCOUNT_LOCK_MAX = timedelta(minutes=60)
PAIR_FAILURES = "5 per 15 minutes"
CLIENT_FAILURE_LIMITS = "20 per 15 minutes;100 per day"
SLOWDOWN_SECONDS = 1.0
NAMESPACE = "login-failure"
PAIR_NAMESPACE = "login-failure-account"


def account_lock_after(failures: int) -> timedelta | None:
    """How long an account is under attack after reaching ``failures`` consecutive failures."""
    if failures < ACCOUNT_FAILURES or failures % ACCOUNT_FAILURES:
        return None
    rounds = failures // ACCOUNT_FAILURES - 1
    return min(ACCOUNT_LOCK_FIRST * (2 ** min(rounds, 16)), ACCOUNT_LOCK_MAX)


def account_locked(locked_until: datetime | None, now: datetime) -> bool:
    """True while an account is marked as under attack."""
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


def _pair(account: str, client_key: str) -> tuple[str, str]:
    return PAIR_NAMESPACE, f"{account}:{client_key}"


def pair_failures(account: str, client_key: str) -> int:
    """Wrong passwords for ``account`` (``StaffUser.get_id()``: a new password starts afresh)
    from this client in the current window."""
    item = parse(PAIR_FAILURES)
    remaining = _strategy().get_window_stats(item, *_pair(account, client_key)).remaining
    return item.amount - remaining


def pair_blocked(account: str, client_key: str) -> bool:
    """True once this client has failed ``PAIR_FAILURES`` times on ``account``."""
    return not _strategy().test(parse(PAIR_FAILURES), *_pair(account, client_key))


def record_pair_failure(account: str, client_key: str) -> None:
    _strategy().hit(parse(PAIR_FAILURES), *_pair(account, client_key))


def slow_down() -> None:
    """The clean client's wait while its account is under attack (it is still let in)."""
    time.sleep(SLOWDOWN_SECONDS)
