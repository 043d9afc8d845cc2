"""Staff passwords: the local policy (SECURITY.md A1) and Argon2id hashing (argon2-cffi)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 64
# The longest input ever given to the KDF at login: longer is refused without hashing.
LOGIN_INPUT_LIMIT = 1024


class PasswordPolicyError(ValueError):
    """The password breaks the policy; ``str()`` is a translated explanation."""


def policy_problems(password: str, *, email: str | None = None) -> list:
    """What is wrong with ``password`` (empty when it is acceptable).

    ASVS 6.2: 8 to 64 characters of any kind (spaces and paste allowed), no composition rules,
    and not simply the account's own email address.
    """
    problems = []
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(_l("Use at least %(count)d characters.", count=MIN_LENGTH))
    if length > MAX_LENGTH:
        problems.append(_l("Use at most %(count)d characters.", count=MAX_LENGTH))
    if not password.strip() and length:
        problems.append(_l("The password cannot be only spaces."))
    if email and password.strip().casefold() == email.strip().casefold():
        problems.append(_l("The password cannot be your email address."))
    return problems


def check_policy(password: str, *, email: str | None = None) -> None:
    """Raise PasswordPolicyError if ``password`` breaks the policy."""
    problems = policy_problems(password, email=email)
    if problems:
        raise PasswordPolicyError(" ".join(str(problem) for problem in problems))


@cache
def _hasher(cheap: bool) -> PasswordHasher:
    if cheap:  # tests: same algorithm, trivial cost, so the suite stays fast
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    # argon2-cffi's defaults are RFC 9106's low-memory profile: Argon2id, t=3, m=64 MiB, p=4.
    return PasswordHasher(type=Type.ID)


def hasher() -> PasswordHasher:
    """The hasher for the running app (cheap parameters when ``app.testing``)."""
    return _hasher(bool(current_app.testing))


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (the policy is checked by the caller)."""
    return hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; a missing hash still costs one hash (no timing oracle)."""
    if len(password) > LOGIN_INPUT_LIMIT:
        password = password[:LOGIN_INPUT_LIMIT]
        password_hash = None
    try:
        return hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def _dummy_hash() -> str:
    return _dummy_for(bool(current_app.testing))


@cache
def _dummy_for(cheap: bool) -> str:
    return _hasher(cheap).hash("no account has this password")
