"""Static files under content-hashed URLs, cached for a year; ``asset_url()`` for templates."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

from portal.web.urls import kept_url

IMMUTABLE = "public, max-age=31536000, immutable"


@cache
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def content_hash(filename: str) -> str | None:
    """Short hash of a static file's content, or None if it does not exist."""
    path = Path(current_app.static_folder) / filename
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest(str(path), stat.st_mtime_ns)


def asset_url(filename: str) -> str:
    """URL of a static file that changes whenever its content does.

    Outside debug it is worked out once per process: static files change with a deploy, and a
    deploy restarts the server. (In debug every page reads the file's state again.)
    """
    return kept_url(
        ("static", filename), lambda: url_for("static", filename=filename, v=content_hash(filename))
    )


def _cache_static(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code != 200:
        return response
    # Our static files are small: buffer them so they are compressed whole (gzip or br)
    # instead of through the streaming path, which would also lose the file's close().
    response.direct_passthrough = False
    response.make_sequence()
    version = request.args.get("v")
    filename = (request.view_args or {}).get("filename", "")
    if version and version == content_hash(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_cache_static)
    app.jinja_env.globals["asset_url"] = asset_url
