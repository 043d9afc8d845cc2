"""The portal's own addresses on outgoing mail: the signed reply token, the bounce address, and
the thread headers that tie every mail to the receipt.

With ``INBOUND_ADDRESS`` (``sesam@example.org``) a mail's ``Reply-To`` is
``sesam+TOKEN@example.org``, TOKEN naming the enquiry and signed with SECRET_KEY; its envelope
sender is ``sesam+b-ID-SIG@example.org``, naming the outbox row, so a delivery report says which
message failed. Tokens are lower-case base32: a mail system that folds case cannot break them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct

from flask import current_app

REPLY_TOKEN = re.compile(r"[a-z2-7]{23}")
BOUNCE_TOKEN = re.compile(r"b-([0-9]{1,10})-([a-z2-7]{8})")


def _signature(purpose: bytes, payload: bytes, size: int) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, purpose + b"\0" + payload, hashlib.sha256).digest()[:size]


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _split(address: str) -> tuple[str, str]:
    local, _, domain = address.rpartition("@")
    return local, domain


def reply_token(enquiry_id: int) -> str:
    """The signed token naming ``enquiry_id`` (23 characters of lower-case base32)."""
    payload = struct.pack(">I", enquiry_id)
    return _b32(payload + _signature(b"reply", payload, 10))


def enquiry_from_token(token: str) -> int | None:
    """The enquiry id a reply token names, or None when it is malformed or forged."""
    token = token.lower()
    if not REPLY_TOKEN.fullmatch(token):
        return None
    try:
        data = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
    except ValueError:
        return None
    payload, signature = data[:4], data[4:]
    if not hmac.compare_digest(signature, _signature(b"reply", payload, 10)):
        return None
    return struct.unpack(">I", payload)[0]


def bounce_token(outbox_id: int) -> str:
    """``b-ID-SIG``: the outbox row a delivery report is about, signed."""
    payload = str(outbox_id).encode()
    return f"b-{outbox_id}-{_b32(_signature(b'bounce', payload, 5))}"


def outbox_from_bounce_token(token: str) -> int | None:
    """The outbox row a bounce token names, or None when it is malformed or forged."""
    match = BOUNCE_TOKEN.fullmatch(token.lower())
    if not match:
        return None
    expected = _b32(_signature(b"bounce", match.group(1).encode(), 5))
    if not hmac.compare_digest(match.group(2), expected):
        return None
    return int(match.group(1))


def _plus(tag: str) -> str | None:
    inbound = current_app.config.get("INBOUND_ADDRESS")
    if not inbound:
        return None
    local, domain = _split(inbound)
    return f"{local}+{tag}@{domain}"


def reply_address(enquiry_id: int) -> str | None:
    """Reply-To for mail about ``enquiry_id``; None without INBOUND_ADDRESS."""
    return _plus(reply_token(enquiry_id))


def bounce_address(outbox_id: int) -> str | None:
    """The envelope sender of outbox row ``outbox_id``; None without INBOUND_ADDRESS."""
    return _plus(bounce_token(outbox_id))


def plus_tag(address: str) -> str | None:
    """The ``+tag`` of ``address`` when it is on INBOUND_ADDRESS's mailbox, else None."""
    inbound = current_app.config.get("INBOUND_ADDRESS")
    if not inbound:
        return None
    own_local, own_domain = _split(inbound.lower())
    local, domain = _split(address.strip().lower())
    base, plus, tag = local.partition("+")
    if domain != own_domain or base != own_local or not plus:
        return None
    return tag


def thread_headers(references: list[str]) -> tuple[str | None, str | None]:
    """``(In-Reply-To, References)`` for a mail answering the last of ``references``."""
    ids = [ref for ref in references if ref]
    if not ids:
        return None, None
    return ids[-1], " ".join(ids[-10:])
