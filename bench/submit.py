"""Valid form submissions as browsers send them: a token per visitor, fetched from the form page
and waited for past ``FORM_MIN_FILL_SECONDS``, then each token posted exactly once.

wrk replays the prepared bodies (``lua/report.lua`` with ``BENCH_BODIES``), each thread its own
share; a thread stops when its share is used up, so no token is posted twice (apart from the
few requests still in flight at that moment, which are counted and reported).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from bench.client import page

FETCHERS = 8
# Valid on every point the form checks, and different on each body (identical texts within
# 24 hours would be kept as spam, as they should be).
FIELDS = {
    "organisation_type": "municipality",
    "organisation": "Benchmark kommune",
    "enquiry_type": "co_creation_support",
    "contact_preference": "email",
    "region": "vestfold",
}


class _HiddenFields(HTMLParser):
    """The portal's own hidden fields (token, page) of the first form with method post."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.action: str | None = None
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and not self._done and values.get("method", "").lower() == "post":
            self._in_form, self.action = True, values.get("action")
        elif tag == "input" and self._in_form and values.get("type") == "hidden":
            self.fields[values.get("name", "")] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def hidden_fields(html: str) -> tuple[str | None, dict[str, str]]:
    """(form action, hidden fields) of the page's enquiry form."""
    parser = _HiddenFields()
    parser.feed(html)
    return parser.action, parser.fields


def body_for(hidden: dict[str, str], number: int, **overrides: str) -> str:
    """One visitor's complete, valid, distinct submission (``overrides`` replace answers)."""
    values = {
        **hidden,
        **FIELDS,
        "name": f"Benchmark visitor {number}",
        "email": f"visitor{number}@example.org",
        "problem": (
            f"Case {number}: older residents in our district are lonely after the day centre "
            "closed, and we want to design a new meeting place together with them."
        ),
        "website": "",  # the honeypot stays empty
    }
    values.update(overrides)
    return urlencode(values)


def form_tokens(form_url: str, count: int) -> list[str]:
    """The form token of each of ``count`` pages fetched one after the other ("" if none)."""
    return [hidden_fields(page(form_url))[1].get("form_token", "") for _ in range(count)]


def prepare_bodies(form_url: str, count: int, min_fill_seconds: float, path: Path) -> str:
    """Fetch ``count`` forms, wait out the fill time, write one body per line to ``path``.

    Returns the form's action path. Raises RuntimeError when the page has no form token.
    """
    with ThreadPoolExecutor(FETCHERS) as pool:
        pages = list(pool.map(page, [form_url] * count))
    fetched_at = time.monotonic()
    bodies, action = [], None
    for number, html in enumerate(pages, start=1):
        action, hidden = hidden_fields(html)
        if not hidden.get("form_token"):
            raise RuntimeError(f"{form_url} has no form_token field")
        bodies.append(body_for(hidden, number))
    path.write_text("\n".join(bodies) + "\n", encoding="utf-8")
    wait = min_fill_seconds + 0.5 - (time.monotonic() - fetched_at)
    if wait > 0:
        time.sleep(wait)  # as a visitor takes time to fill in the form
    return action or "/kontakt"


def stored_enquiries(database_url: str) -> tuple[int, int]:
    """(enquiries stored, of which kept as spam) in the benchmark's database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM enquiry")).scalar_one()
            spam = conn.execute(
                text("SELECT count(*) FROM enquiry WHERE status = 'spam'")
            ).scalar_one()
        return int(total), int(spam)
    finally:
        engine.dispose()
