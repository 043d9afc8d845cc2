"""Static files under URLs that carry their content's hash; ``asset_url()`` for templates."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, url_for


@cache
def _digest(path: str, mtime_ns: int) -> str:
    # Keyed by the file's modification time too: a changed file is hashed again.
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
    """URL of a static file that changes whenever its content does (so it may be cached for a
    year: ``portal.web.http_caching``)."""
    return url_for("static", filename=filename, v=content_hash(filename))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
