"""Absolute links, for emails and the embed loader, built on ``PUBLIC_BASE_URL``."""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

# Ids are the databases' INTEGER (PostgreSQL's int4): a larger number names nothing.
MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: digits (ASCII only) up to MAX_ID, so a 19-digit id is a
    plain 404 instead of an overflow in the database driver."""

    regex = r"[0-9]+"  # \d would take other scripts' digits too

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def database_id(value: str) -> int:
    """A query-string id (``request.args.get(name, type=database_id)``): ValueError, so None,
    for anything but ASCII digits up to MAX_ID."""
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > MAX_ID:
        raise ValueError(value)
    return int(value)


def init_app(app: Flask) -> None:
    """Bounded ids in every route (before any blueprint adds its rules)."""
    app.url_map.converters["int"] = DatabaseId


def mailto_url(address: str) -> str:
    """A ``mailto:`` link to exactly ``address``: its local part and domain percent-encoded
    (RFC 6068), so an address such as ``x?cc=someone@…&body=…`` cannot add recipients or text."""
    local, _, domain = (address or "").rpartition("@")
    if not local:
        return "mailto:" + quote(address or "", safe="")
    return f"mailto:{quote(local, safe='')}@{quote(domain, safe='')}"


def public_url(endpoint: str, **values) -> str:
    """``url_for`` made absolute with PUBLIC_BASE_URL (in requests, the worker and the CLI).

    The path is built as if the app were mounted at ``/``: PUBLIC_BASE_URL says where it is.
    Inside a request the request's own URL adapter does that (a script root is cut off);
    elsewhere a throwaway request context stands in for it.
    """
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
        root = request.script_root
        if root and path.startswith(root + "/"):
            path = path[len(root) :]
    else:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    return base + path
