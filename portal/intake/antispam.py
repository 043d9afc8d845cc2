"""Anti-forgery and anti-spam without cookies: signed form token, origin check, limits, heuristics.

SECURITY.md E1 (token + Fetch-Metadata/Origin), S1 (honeypot), S2 (fill time, token age, single
use), S3 (per-client rate limits) and S5 (content heuristics that quarantine, never delete).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import parse_many

from portal.extensions import client_key, limiter
from portal.intake.queries import body_seen_since
from portal.timestamps import utcnow

log = logging.getLogger(__name__)

FORM_SALT = "enquiry-form"
ENQUIRY_FORM = "enquiry"
CASE_FORM = "case"
DUPLICATE_WINDOW = timedelta(hours=24)
SPAM_SCORE = 3
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
# Phrases that only advertising bots write; each is decisive on its own.
SPAM_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\[url=",
        r"<a\s+href",
        r"\bviagra\b",
        r"\bcialis\b",
        r"\bbacklinks?\b",
        r"\bseo (?:services?|agency|experts?|packages?)\b",
        r"\bbuy (?:followers|likes|traffic|reviews)\b",
        r"\bpayday loans?\b",
        r"\bcasino bonus\b",
        r"\bguest post(?:ing)?\b",
        r"\bcrypto(?:currency)? (?:investment|trading) (?:opportunity|platform)\b",
    )
)
FREE_TEXT = ("name", "organisation", "problem", "affected", "message", "accessibility_needs")


class TokenRefused(Exception):
    """The form token is missing, forged, altered or meant for another form."""


@dataclass(frozen=True)
class FormToken:
    """A verified form token: which form, when it was handed out, and its single-use nonce."""

    form_id: str
    issued_at: datetime
    nonce: str

    def age(self) -> timedelta:
        return utcnow() - self.issued_at

    def expired(self) -> bool:
        return self.age() > timedelta(hours=current_app.config["FORM_MAX_AGE_HOURS"])

    def too_fast(self) -> bool:
        return self.age() < timedelta(seconds=current_app.config["FORM_MIN_FILL_SECONDS"])


# --------------------------------------------------------------------------- the form token


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=FORM_SALT)


def issue_form_token(form_id: str = ENQUIRY_FORM) -> str:
    """A fresh signed token ``{form_id, issued_at, nonce}`` for one form (no cookie needed)."""
    payload = {
        "form_id": form_id,
        "issued_at": round(utcnow().timestamp(), 3),
        "nonce": secrets.token_urlsafe(24),
    }
    return _serializer().dumps(payload)


def read_form_token(raw: str | None, form_id: str = ENQUIRY_FORM) -> FormToken:
    """Verify ``raw``; its age is judged by the caller. Raises TokenRefused."""
    if not raw:
        raise TokenRefused("missing")
    try:
        payload = _serializer().loads(raw)
    except BadData as exc:
        raise TokenRefused("bad signature") from exc
    if not isinstance(payload, dict) or payload.get("form_id") != form_id:
        raise TokenRefused("wrong form")
    issued_at, nonce = payload.get("issued_at"), payload.get("nonce")
    if not isinstance(issued_at, int | float) or not isinstance(nonce, str) or not nonce:
        raise TokenRefused("malformed")
    return FormToken(form_id, datetime.fromtimestamp(issued_at, UTC), nonce)


# --------------------------------------------------------------------------- origin (E1)


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` in canonical form (default ports dropped), or None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}[parts.scheme]
    suffix = f":{port}" if port and port != default else ""
    return f"{parts.scheme}://{parts.hostname}{suffix}"


def same_origin_request(headers: Mapping[str, str], own: Iterable[str]) -> bool:
    """Go's CrossOriginProtection rule: Fetch Metadata first, else the Origin header.

    ``Sec-Fetch-Site`` must be ``same-origin`` or ``none``; browsers too old to send it send
    ``Origin``, which must be one of ``own``. A request with neither comes from no browser.
    """
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        return site.strip().lower() in ("same-origin", "none")
    origin = headers.get("Origin")
    if origin is None:
        return True
    allowed = {origin_of(url) for url in own} - {None}
    return origin_of(origin) in allowed


def own_origins() -> list[str]:
    """The portal's own origins: PUBLIC_BASE_URL's and the one this request came to."""
    return [current_app.config["PUBLIC_BASE_URL"], request.host_url]


# --------------------------------------------------------------------------- rate limits (S3)


def within_rate_limit(scope: str, limits: str) -> bool:
    """Count one hit against every window of ``limits`` for this client; False once over.

    A rate-limit store that is down lets the request through (an enquiry is never lost to it).
    """
    if not limiter.enabled:
        return True
    key = client_key()
    try:
        hits = [limiter.limiter.hit(item, "sesam", key, scope) for item in parse_many(limits)]
    except Exception:
        log.warning("rate-limit store unavailable; request let through", exc_info=True)
        return True
    return all(hits)


# --------------------------------------------------------------------------- content (S1, S2, S5)


def body_fingerprint(problem: str, message: str | None) -> str:
    """Hash of the words of the enquiry, case and punctuation ignored."""
    words = re.findall(r"\w+", f"{problem} {message or ''}".casefold())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def content_signals(values: Mapping[str, object]) -> dict[str, int]:
    """Score per heuristic signal for the visitor's text (only signals that fired)."""
    texts = [str(values.get(name) or "") for name in FREE_TEXT]
    joined = "\n".join(texts)
    signals = {}
    links = len(_URL.findall(joined))
    if links > 2:
        signals["links"] = links - 2
    if not any(char.isalpha() for char in str(values.get("problem") or "")):
        signals["no_letters"] = SPAM_SCORE
    if any(pattern.search(joined) for pattern in SPAM_PATTERNS):
        signals["pattern"] = SPAM_SCORE
    fingerprint = body_fingerprint(str(values.get("problem") or ""), values.get("message"))
    if body_seen_since(fingerprint, utcnow() - DUPLICATE_WINDOW):
        signals["duplicate"] = SPAM_SCORE
    return signals


def spam_reasons(values: Mapping[str, object], *, token: FormToken, trap_filled: bool) -> list[str]:
    """Why this submission is spam, or ``[]`` for a genuine one."""
    decisive = []
    if trap_filled:
        decisive.append("honeypot")
    if token.too_fast():
        decisive.append("too_fast")
    signals = content_signals(values)
    if sum(signals.values()) >= SPAM_SCORE:
        decisive.extend(signals)
    return decisive
