"""Who may frame the embed: ``EMBED_ALLOWED_ORIGINS`` parsed, and host origins and pages checked."""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit, urlunsplit

from flask import current_app

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_PAGE_LENGTH = 2000  # the enquiry's source_page column
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f;,'\"*\\]")  # would break out of a CSP source list
_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def _valid_host(host: str) -> bool:
    if host.startswith("["):
        try:
            return host.endswith("]") and ipaddress.IPv6Address(host[1:-1]) is not None
        except ValueError:
            return False
    if len(host) > 253:
        return False
    return all(_LABEL.match(label) for label in host.split("."))


def normalise_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in canonical form (lower case, no default port), or None.

    Paths (a bare trailing ``/`` aside), queries, fragments, user names, wildcards and
    non-ASCII host names (use the punycode form) are refused.
    """
    value = (value or "").strip()
    if not value or _UNSAFE.search(value) or not value.isascii():
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    if "@" in parts.netloc or parts.netloc.endswith(":") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # urlsplit drops the brackets of an IPv6 literal
        host = f"[{host}]"
    if not _valid_host(host):
        return None
    if port == 0:
        return None
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


@cache
def _parse(values: tuple[str, ...]) -> tuple[str, ...]:
    valid: list[str] = []
    for value in values:
        origin = normalise_origin(value)
        if origin is None:
            log.warning("EMBED_ALLOWED_ORIGINS: ignoring %r (expected scheme://host[:port])", value)
        elif origin not in valid:
            valid.append(origin)
    return tuple(valid)


def parse_origins(configured: str | Iterable[str] | None) -> tuple[str, ...]:
    """The valid origins of a configured value (space-separated text or a list).

    Invalid entries are dropped with one logged warning each (per distinct setting).
    """
    if configured is None:
        return ()
    values = configured.split() if isinstance(configured, str) else list(configured)
    return _parse(tuple(str(value) for value in values))


def allowed_origins() -> tuple[str, ...]:
    """The current app's valid ``EMBED_ALLOWED_ORIGINS``; empty means nobody may frame."""
    return parse_origins(current_app.config.get("EMBED_ALLOWED_ORIGINS"))


def allowed_host_origin(value: str | None) -> str | None:
    """``value`` as a canonical origin if it is allow-listed, else None."""
    origin = normalise_origin(value or "")
    return origin if origin and origin in allowed_origins() else None


def allowed_source_page(value: str | None) -> str | None:
    """The host page's URL (without fragment) if its origin is allow-listed, else None."""
    value = (value or "").strip()
    if not value or len(value) > MAX_PAGE_LENGTH or _CONTROL.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.username is not None or not parts.hostname:
        return None
    if allowed_host_origin(f"{parts.scheme}://{parts.netloc}") is None:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def origin_of(page: str | None) -> str | None:
    """The allow-listed origin of an accepted ``source_page``, else None."""
    page = allowed_source_page(page)
    if page is None:
        return None
    parts = urlsplit(page)
    return allowed_host_origin(f"{parts.scheme}://{parts.netloc}")
