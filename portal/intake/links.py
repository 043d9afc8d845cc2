"""Signed links for the enquirer: the receipt page's reference and the private status page."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from portal.web.urls import public_url

RECEIPT_SALT = "receipt"
CASE_SALT = "case-link"


def _signer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def receipt_token(reference: str) -> str:
    """What the receipt URL carries: the reference, signed (never a guessable id)."""
    return _signer(RECEIPT_SALT).dumps(reference)


def reference_from_receipt(token: str | None) -> str | None:
    """The reference in a receipt token, or None if it is missing or not ours."""
    return _load(RECEIPT_SALT, token)


def case_token(public_id: str) -> str:
    """The status page's token: the enquiry's random public id, signed."""
    return _signer(CASE_SALT).dumps(public_id)


def public_id_from_case(token: str | None) -> str | None:
    """The public id in a status-page token, or None if it is not ours."""
    return _load(CASE_SALT, token)


def case_url(public_id: str, lang: str) -> str:
    """The absolute link to the status page, for emails."""
    return public_url("intake.case", token=case_token(public_id), lang=lang)


def _load(salt: str, token: str | None) -> str | None:
    if not token:
        return None
    try:
        value = _signer(salt).loads(token)
    except BadData:
        return None
    return value if isinstance(value, str) else None
