"""HTTP caching (SPEC, "HTTP caching"): the ``Cache-Control`` each kind of response gets, and ETags.

Every response is one of four kinds, decided here and nowhere else:

- **same for everyone**: views marked ``@same_for_everyone`` (landing page, privacy notice,
  accessibility statement, ``/embed.js``, the embed's accent stylesheet). ``public`` with a
  strong ETag of the body, and a ``304`` when ``If-None-Match`` holds it, so a browser or proxy
  serves repeats and revalidates cheaply. Flask-Compress gives each encoding its own tag
  (``"…:gzip"``, ``"…:br"``) and answers those 304s itself;
- **static files**: with their content hash (``asset_url``) ``public`` for a year and
  ``immutable``; without it ``no-cache``. Flask's ETag and 304s, as above;
- **staff pages** (under ``/inbox``): ``no-store``;
- **everything else** (the form on the site and in the embed, the receipt, the status page,
  errors): ``private, no-cache``. It may carry a visitor's token or data, so no shared cache
  keeps it, while the browser's back button still returns to a filled-in form.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, request

from portal.extensions import limiter
from portal.web.areas import is_staff_path
from portal.web.assets import content_hash

PUBLIC = "public, max-age=300"  # a deploy reaches every visitor within five minutes
STATIC_VERSIONED = "public, max-age=31536000, immutable"  # its URL changes with its content
STATIC_UNVERSIONED = "no-cache"
PRIVATE = "private, no-cache"
STAFF = "no-store"


def same_for_everyone(view: Callable) -> Callable:
    """Mark ``view`` as answering every visitor alike (no token, nothing personal, no cookie):
    its successful responses are public and carry an ETag."""
    view.same_for_everyone = True
    return view


@limiter.request_filter
def _is_same_for_everyone() -> bool:
    """Also the rate limiter's filter: these pages have no limits, and are cheaper to serve
    than checking a client's limits would be."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "same_for_everyone", False)


def _static(response: Response) -> Response:
    if response.status_code != 200:
        return response
    # Our static files are small: buffered, they are compressed whole (gzip or br) instead of
    # through Flask-Compress's streaming path, which would also lose the file's close().
    response.direct_passthrough = False
    response.make_sequence()
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    versioned = bool(version) and version == content_hash(filename)
    response.headers["Cache-Control"] = STATIC_VERSIONED if versioned else STATIC_UNVERSIONED
    return response


def _set_cache_headers(response: Response) -> Response:
    if request.endpoint == "static":
        return _static(response)
    if is_staff_path(request.path):
        response.headers["Cache-Control"] = STAFF
        return response
    if (
        response.status_code == 200
        and request.method in ("GET", "HEAD")
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and _is_same_for_everyone()
    ):
        response.headers["Cache-Control"] = PUBLIC
        response.add_etag()
        if "If-None-Match" not in request.headers:
            return response  # nothing to compare
        return response.make_conditional(request)
    response.headers["Cache-Control"] = PRIVATE
    return response


def init_app(app: Flask) -> None:
    # Registered after Flask-Compress, so it runs before it: the tag is made from the plain
    # body, and Flask-Compress then makes one per encoding.
    app.after_request(_set_cache_headers)
