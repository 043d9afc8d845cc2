"""Single requests as a browser sends them, redirects not followed (an inbox page that bounces to
the login form must not pass for a fast inbox page)."""

from __future__ import annotations

import urllib.error
import urllib.request

from bench.wrk import BROWSER_HEADERS


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx surfaces as HTTPError with its own code


_opener = urllib.request.build_opener(NoRedirects)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """(status, body as sent) of one GET."""
    request = urllib.request.Request(url, headers={**BROWSER_HEADERS, **(headers or {})})
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def page(url: str) -> str:
    """The text of a page that must answer 200 (uncompressed). Raises RuntimeError otherwise."""
    status, body = get(url, {"Accept-Encoding": "identity"})
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    return body.decode("utf-8")
