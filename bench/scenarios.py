"""What the benchmark measures: each scenario, its group (for ``--only``) and how it is judged."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    """One URL under load. ``paired``: hello world is measured again right before it, because a
    budget compares the two; ``per_db``: it touches the database, so it runs on every database."""

    key: str
    label: str
    group: str
    path: str
    expect: int = 200
    paired: bool = False
    per_db: bool = False


# Measured once per run against the first database (they never touch it) ...
LANDING = (
    Scenario("landing_nb", "landing page, Bokmål", "landing", "/", paired=True),
    Scenario("landing_nn", "landing page, Nynorsk", "landing", "/nn/", paired=True),
    Scenario("landing_en", "landing page, English", "landing", "/en/", paired=True),
)
STATIC = Scenario("static_css", "static file (site.css?v=hash)", "static", "")
FORM = Scenario("form_nb", "enquiry form page (nb)", "form", "/kontakt")
EMBED_JS = Scenario("embed_js", "embed loader /embed.js", "embed", "/embed.js")
# ... and on every database.
HEALTHZ = Scenario("healthz", "/healthz (database check)", "healthz", "/healthz", per_db=True)
SUBMIT = Scenario(
    "submit", "valid form submission, 16 clients", "submit", "/kontakt", expect=303, per_db=True
)
INBOX = (
    Scenario("inbox_list", "inbox list", "inbox", "/inbox/", per_db=True),
    Scenario("inbox_filter", "inbox filtered list", "inbox", "/inbox/", per_db=True),
    Scenario("inbox_search", "inbox text search", "inbox", "/inbox/", per_db=True),
    Scenario("inbox_detail", "inbox enquiry detail", "inbox", "/inbox/enquiries/", per_db=True),
)

WEB_SCENARIOS = (*LANDING, STATIC, FORM, EMBED_JS, HEALTHZ)
# "sizes" is the page-weight check (no load); the rest are scenario groups.
GROUPS = ("landing", "static", "form", "embed", "healthz", "sizes", "submit", "inbox")
DATABASES = ("sqlite", "postgres")
INBOX_SIZES = (10_000, 100_000)
SUBMIT_CONNECTIONS = 16


def parse_only(value: str | None) -> set[str]:
    """``--only landing,static`` -> the groups to run; every group when empty.

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
