"""One URL, two renderings: the full page, or the fragment an htmx request swaps in."""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template

from portal.extensions import htmx


def wants_fragment() -> bool:
    """True for an htmx swap; a history restore or a boosted link gets the whole page."""
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render_page_or_fragment(page: str, fragment: str, status: int = 200, **context) -> Response:
    """Fragment for htmx swaps, full page otherwise; varies on ``HX-Request``."""
    template = fragment if wants_fragment() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(url: str) -> Response:
    """After a successful POST: ``HX-Redirect`` for htmx, a 303 for everyone else."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)
