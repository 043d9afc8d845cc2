"""What the benchmark measures: each scenario, its group (for ``--only``) and what it expects."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Scenario:
    """One URL under load. ``paired``: hello world is measured in turn with it, because a budget
    compares the two."""

    key: str
    label: str
    group: str
    path: str
    expect: int = 200
    paired: bool = False


# The host page the embed is measured in: an allow-listed origin, as the loader sends it.
EMBED_HOST = "https://www.usn.no"
EMBED_QUERY = urlencode({"host_origin": EMBED_HOST, "source_page": EMBED_HOST + "/sesam"})

LANDING = (
    Scenario("landing_nb", "landing page, Bokmål", "landing", "/", paired=True),
    Scenario("landing_nn", "landing page, Nynorsk", "landing", "/nn/", paired=True),
    Scenario("landing_en", "landing page, English", "landing", "/en/", paired=True),
)
FORM = Scenario("form_nb", "enquiry form page (nb)", "form", "/kontakt")
EMBED_FORM = Scenario(
    "embed_nb", "form page in the embed (nb)", "form", "/embed/kontakt?" + EMBED_QUERY
)
FORM_PAGES = (FORM, EMBED_FORM)
SUBMIT = Scenario("submit", "valid form submission, 16 clients", "submit", "/kontakt", expect=303)
SEARCH_WORD = "kommune"  # the commonest word of the demo texts ("kommune", "kommunen", ...)
INBOX = (
    Scenario("inbox_list", "inbox list", "inbox", "/inbox/"),
    Scenario(
        "inbox_filter",
        "inbox filtered list",
        "inbox",
        "/inbox/?status=open&organisation_type=municipality",
    ),
    Scenario("inbox_search", "inbox text search", "inbox", f"/inbox/?q={SEARCH_WORD}"),
)

# "sizes" is the page-weight check (no load); the rest are scenario groups.
GROUPS = ("landing", "form", "submit", "inbox", "sizes")
DATABASES = ("sqlite", "postgres")
INBOX_SIZES = (10_000, 100_000)
SUBMIT_CONNECTIONS = 16
SINGLE_CONNECTION = 1  # the inbox's p50 budget: one staff member clicking alone


def parse_only(value: str | None) -> set[str]:
    """``--only landing,form`` -> the groups to run; every group when empty.

    Raises ValueError naming the unknown groups.
    """
    if not value:
        return set(GROUPS)
    chosen = {part.strip() for part in value.split(",") if part.strip()}
    unknown = chosen - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown group(s) {sorted(unknown)}; choose from {', '.join(GROUPS)}")
    return chosen


def parse_db(value: str) -> tuple[str, ...]:
    """``--db sqlite|postgres|both`` -> the databases, in the order they are measured."""
    if value == "both":
        return DATABASES
    if value in DATABASES:
        return (value,)
    raise ValueError(f"--db must be sqlite, postgres or both, not {value!r}")
