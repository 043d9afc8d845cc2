"""Password-reset links: signed (itsdangerous), expiring within an hour, single-use.

A token carries the account id and a fingerprint of the account's current password hash and
session version. Using the link sets a new password (and bumps the version), so the fingerprint
no longer matches and the same link is dead; so is every older link.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.accounts.models import StaffUser
from portal.accounts.queries import user_by_id

SALT = "password-reset"
MAX_AGE_SECONDS = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: StaffUser) -> str:
    material = f"{user.id}:{user.password_hash or ''}:{user.session_version}".encode()
    return hashlib.sha256(material).hexdigest()[:24]


def make_reset_token(user: StaffUser) -> str:
    """A signed link token for ``user``, valid for an hour or until it is used."""
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset_token(token: str) -> StaffUser | None:
    """The active account a token is valid for, or None (tampered, expired, used, unknown)."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # also SignatureExpired, a subclass
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = user_by_id(data["u"])
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(str(data.get("f", "")), _fingerprint(user)):
        return None
    return user
