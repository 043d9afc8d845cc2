"""Friendly, translated error pages (or fragments for htmx); never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.database import RequestTimedOut, unavailable
from portal.extensions import db
from portal.web.htmx import render_page_or_fragment

log = logging.getLogger(__name__)
KNOWN = {400, 403, 404, 405, 413, 429, 500, 503}


def render_error(code: int):
    """The error page for ``code`` in the visitor's language."""
    shown = code if code in KNOWN else (500 if code >= 500 else 400)
    return render_page_or_fragment(
        "errors/error.html", "errors/_error.html", status=code, code=shown
    )


def _http_error(error: HTTPException):
    return render_error(error.code or 500)


def _database_down(error: Exception):
    db.session.rollback()  # a connection the error left unusable is invalidated: no SQL runs
    log.error("database unavailable: %s", type(getattr(error, "orig", error)).__name__)
    return render_error(ServiceUnavailable.code)


def _unexpected(error: Exception):
    if unavailable(error):  # what the driver raised while a timed-out request unwound
        return _database_down(error)
    db.session.rollback()
    log.exception("unhandled error")
    return render_error(InternalServerError.code)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(PoolTimeout, _database_down)  # no connection free in time
    app.register_error_handler(RequestTimedOut, _database_down)  # a frozen server, say
    if not app.debug:
        app.register_error_handler(Exception, _unexpected)
