"""Compressed responses: Flask-Compress (configured in ``portal.config``) for pages, and static
files compressed once per content version.

Flask-Compress compresses every response anew, a static file included (with a fresh
multi-megabyte brotli window each time). Versioned static URLs (``asset_url``) never change
content, so their compressed bytes are made once per process and reused; any other static URL
is left to Flask-Compress.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
from flask import Flask, Response, current_app, request

from portal.web.assets import content_hash

ENCODINGS = ("br", "gzip")
GZIP_LEVEL = 9  # once per file and version: the smallest output is worth the time
BROTLI_QUALITY = 11
MAX_STATIC_ENTRIES = 512


def compress(body: bytes, encoding: str) -> bytes:
    """``body`` in ``encoding`` (``br`` or ``gzip``), at the highest level: for bodies that are
    compressed once and sent many times."""
    if encoding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY)
    if encoding == "gzip":
        return gzip.compress(body, GZIP_LEVEL, mtime=0)
    raise ValueError(f"unknown encoding {encoding!r}")


def accepted_encoding() -> str | None:
    """The best encoding this request accepts among those the config enables, or None."""
    enabled = current_app.config.get("COMPRESS_ALGORITHM") or []
    offered = [name for name in ENCODINGS if name in enabled]
    return request.accept_encodings.best_match(offered) if offered else None


def _compress_static_once(response: Response) -> Response:
    if (
        request.endpoint != "static"
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or response.mimetype not in current_app.config["COMPRESS_MIMETYPES"]
    ):
        return response
    filename = (request.view_args or {}).get("filename", "")
    version = content_hash(filename)
    encoding = accepted_encoding()
    if not encoding or not version or request.args.get("v") != version:
        return response
    cache = current_app.extensions["compressed_static"]
    key = (filename, version, encoding)
    body = cache.get(key)
    if body is None:
        body = compress((Path(current_app.static_folder) / filename).read_bytes(), encoding)
        if len(cache) < MAX_STATIC_ENTRIES:
            cache[key] = body
    close = getattr(response.response, "close", None)
    if close is not None:
        close()  # the file send_file opened
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.headers.pop("Accept-Ranges", None)  # ranges would address the compressed bytes
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}:{encoding}", weak=bool(weak))
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.extensions["compressed_static"] = {}
    # Registered after Flask-Compress, so it runs before it: a static file compressed here
    # already carries Content-Encoding, which Flask-Compress leaves alone.
    app.after_request(_compress_static_once)
