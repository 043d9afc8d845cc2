"""Links: absolute ones for emails and the embed loader, built on ``PUBLIC_BASE_URL``, and the
fixed links every page carries (navigation, stylesheet), built once per process."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, has_request_context, request, url_for

from portal.web.fragments import remembered


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


def fixed_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` for a link that is the same on every request in the same
    language (navigation, footer, static files), built once per process and language.

    ``endpoint`` is a full name ("public.privacy", not ".privacy"), and never one whose links
    carry values of the request (the embed's framed pages add its host and accent). The
    development server (debug) builds every time, so a changed route or file shows at once.
    Raises BuildError as ``url_for`` does.
    """
    return kept_url((endpoint, tuple(sorted(values.items()))), lambda: url_for(endpoint, **values))


def kept_url(key: tuple, build: Callable[[], str]) -> str:
    """``build()``, remembered under ``key`` per mount point and language (see ``fixed_url``)."""
    if current_app.debug or not has_request_context():
        return build()
    return remembered("urls", (request.script_root, g.get("lang"), *key), build)
