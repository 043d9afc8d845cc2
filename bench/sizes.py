"""What a first visit downloads: the landing page with its CSS and JS (gzip), and the poster."""

from __future__ import annotations

import urllib.request
import zlib
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


class _Assets(HTMLParser):
    """Collects what a browser fetches before the film is played."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.scripts: list[str] = []
        self.posters: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.styles.append(values.get("href", ""))
        elif tag == "script" and values.get("src"):
            self.scripts.append(values["src"])
        elif tag == "img" and "film__poster" in values.get("class", "").split():
            self.posters.append(values.get("src", ""))


@dataclass
class PageWeight:
    """Bytes on the wire (bodies as sent with gzip; headers not counted)."""

    url: str
    html: int
    css: dict[str, int] = field(default_factory=dict)
    js: dict[str, int] = field(default_factory=dict)
    poster: dict[str, int] = field(default_factory=dict)
    loads_htmx: bool = False

    @property
    def total(self) -> int:
        return self.html + sum(self.css.values()) + sum(self.js.values())

    @property
    def poster_total(self) -> int:
        return sum(self.poster.values())

    def as_dict(self) -> dict:
        return {**asdict(self), "total": self.total, "poster_total": self.poster_total}


def fetch_gzip(url: str) -> tuple[bytes, bytes]:
    """(bytes on the wire, decoded body) for a GET that accepts gzip only."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    body = zlib.decompress(raw, 16 + zlib.MAX_WBITS) if encoding == "gzip" else raw
    return raw, body


def page_weight(url: str) -> PageWeight:
    """Download ``url`` like a browser's first visit and add up the compressed bytes."""
    raw, body = fetch_gzip(url)
    parser = _Assets()
    parser.feed(body.decode("utf-8"))
    weight = PageWeight(url=url, html=len(raw))
    for kind, sources in (("css", parser.styles), ("js", parser.scripts)):
        for source in sources:
            getattr(weight, kind)[source] = len(fetch_gzip(urljoin(url, source))[0])
    for source in parser.posters:
        weight.poster[source] = len(fetch_gzip(urljoin(url, source))[0])
    weight.loads_htmx = any("htmx" in source for source in parser.scripts)
    return weight
