"""HTTP caching of public pages: ETags with 304s, and one rendering per page and process.

Public pages carry no cookie and nothing personal, so two things are safe there and nowhere else:

- every public ``GET`` HTML response gets a weak ``ETag`` (a hash of the uncompressed body) and a
  ``304 Not Modified`` when the browser already has it. Weak, because gzip and brotli bodies are
  the same page in different bytes; Flask-Compress leaves weak tags alone, so the tag survives
  compression and one ``If-None-Match`` matches every encoding;
- views that render the same bytes for every visitor (``@cached_page``: landing page, privacy
  notice, accessibility statement) are rendered and compressed once per process, and
  ``PageReplay`` answers a repeated request for them with the complete response the app gave the
  first time (headers included), without running Flask again: what a caching proxy in front
  would do, and what keeps a wave of visitors as cheap as a hello world. Never for views whose
  output changes per request (the form carries a fresh token) and never under ``/inbox/``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, Response, current_app, make_response, request

from portal.extensions import limiter
from portal.web.areas import STAFF_PREFIX
from portal.web.compression import accepted_encoding, compress
from portal.web.htmx import wants_fragment

MAX_CACHED_PAGES = 256  # a handful of pages x 3 languages x page/fragment; a safety bound only
MAX_REPLAYS = 512  # x the few Accept-Encoding values browsers send; beyond it, no new entries
REPLAYABLE = "portal.replayable"  # environ flag: this request's response may be replayed
# Everything in a request that can change a cached page's response. Requests carrying anything
# else that could (a query string, a cookie, a conditional header) go to the app every time.
_REPLAY_KEY = (
    "SCRIPT_NAME",
    "PATH_INFO",
    "HTTP_HOST",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_HX_REQUEST",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
)
_REPLAY_BYPASS = ("QUERY_STRING", "HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


def is_public(path: str) -> bool:
    """True outside the staff area (the only place with sessions and personal data)."""
    return not (path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/"))


def body_etag(body: bytes) -> str:
    """Validator for a body: the same bytes always give the same tag."""
    return hashlib.blake2b(body, digest_size=12).hexdigest()


class CachedPage:
    """One rendered page: its bytes, its validator and its compressed forms, made once."""

    def __init__(self, response: Response) -> None:
        self.body = response.get_data()
        self.content_type = response.content_type
        vary = response.vary
        vary.add("Accept-Encoding")
        self.headers = [("Vary", vary.to_header()), ("ETag", f'W/"{body_etag(self.body)}"')]
        self.encoded: dict[str, bytes] = {}

    def response(self) -> Response:
        """A fresh response for this request, compressed if the client accepts it."""
        encoding = accepted_encoding()
        if not encoding:
            return Response(self.body, headers=self.headers, content_type=self.content_type)
        body = self.encoded.get(encoding)
        if body is None:
            body = self.encoded[encoding] = compress(self.body, encoding)
        headers = [*self.headers, ("Content-Encoding", encoding)]
        return Response(body, headers=headers, content_type=self.content_type)


def cached_page(view: Callable) -> Callable:
    """Render ``view`` once per path (and page/fragment) per process; only for pages that are
    the same for every visitor and depend on nothing but the path and the configuration."""

    @wraps(view)
    def wrapper(**kwargs):
        """``view``, rendered once (debug mode renders every time: templates reload)."""
        if current_app.debug:
            return view(**kwargs)
        pages = current_app.extensions["page_cache"]
        key = (request.path, wants_fragment())
        page = pages.get(key)
        if page is None:
            response = make_response(view(**kwargs))
            if response.status_code != 200 or len(pages) >= MAX_CACHED_PAGES:
                return response
            page = pages[key] = CachedPage(response)
        request.environ[REPLAYABLE] = True
        return page.response()

    wrapper.cached_page = True
    return wrapper


@limiter.request_filter
def _is_cached_page() -> bool:
    """The limiter skips cached pages, as it skips static files: they cost a lookup, and
    checking a client's limits would cost more than serving them."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "cached_page", False)


def _tag_public_page(response: Response) -> Response:
    """Weak ETag + 304 for public GET pages; tags only what it can hash whole (not streams)."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or not is_public(request.path)
        or "Set-Cookie" in response.headers
    ):
        return response
    if "ETag" not in response.headers:
        if "Content-Encoding" in response.headers:
            return response
        response.set_etag(body_etag(response.get_data()), weak=True)
    if "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers:
        return response  # nothing to compare: skip werkzeug's full conditional parsing
    return response.make_conditional(request)


class PageReplay:
    """WSGI middleware: a GET whose response came from a ``@cached_page`` view, repeated with
    the same key (path, host, Accept-Encoding, htmx headers), gets that response again as it
    was sent, security headers and all. Only 200s without ``Set-Cookie`` are kept."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app
        self.responses: dict[tuple, tuple[str, list[tuple[str, str]], bytes]] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or any(environ.get(k) for k in _REPLAY_BYPASS):
            return self.wsgi_app(environ, start_response)
        key = tuple(environ.get(name) for name in _REPLAY_KEY)
        kept = self.responses.get(key)
        if kept is not None:
            start_response(kept[0], list(kept[1]))
            return [kept[2]]
        started: list = []

        def capture(status, headers, exc_info=None):
            started[:] = [status, headers, exc_info]
            return lambda data: None  # the portal never uses write()

        app_iter = self.wsgi_app(environ, capture)
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        status, headers, exc_info = started
        if (
            environ.get(REPLAYABLE)
            and status.startswith("200 ")
            and not any(name.lower() == "set-cookie" for name, _ in headers)
            and len(self.responses) < MAX_REPLAYS
        ):
            self.responses[key] = (status, list(headers), body)
        start_response(status, headers, exc_info)
        return [body]


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = {}  # per app: tests build apps with different settings
    app.wsgi_app = PageReplay(app.wsgi_app)
    # Registered after Flask-Compress, so it runs before it: a 304 is decided on the plain body
    # and never compressed, and a 200 is compressed with its weak tag left as it is.
    app.after_request(_tag_public_page)
