"""The budgets of SPEC.md "Non-functional budgets" and issue 6, and PASS/FAIL/SKIP for each."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bench.results import Result
from bench.sizes import PageWeight

LANDING_MIN_RATIO = 0.70  # landing page requests/s >= 70% of hello world's
LANDING_MAX_BYTES = 30_000  # HTML + CSS + JS, gzip, before the film is played
POSTER_MAX_BYTES = 15_000  # the film's poster, on top
SUBMIT_MAX_P99_MS = 100.0  # valid form submissions at 16 concurrent clients
INBOX_MAX_P99_MS = 50.0  # inbox list, filter and search at 100,000 enquiries
INBOX_MAX_SLOWDOWN = 1.2  # requests/s at 10,000 <= 1.2 x requests/s at 100,000
INBOX_BUDGETED = ("inbox_list", "inbox_filter", "inbox_search")
LARGE, SMALL = 100_000, 10_000

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclass
class Check:
    """One budget applied to one subject."""

    budget: str
    subject: str
    status: str
    measured: str

    def as_dict(self) -> dict:
        return asdict(self)


def _verdict(ok: bool) -> str:
    return PASS if ok else FAIL


def _where(result: Result) -> str:
    parts = [result.key]
    if result.db:
        parts.append(result.db)
    if result.size:
        parts.append(f"{result.size:,}")
    return " / ".join(parts)


def check_errors(results: list[Result]) -> list[Check]:
    """Every scenario must run clean: an error makes its figures meaningless."""
    return [
        Check("no errors", _where(r), FAIL, f"{r.measurement.errors} {r.measurement.error_detail}")
        for r in results
        if r.measurement.errors
    ]


def check_landing(results: list[Result]) -> list[Check]:
    checks = []
    for result in results:
        if result.group != "landing":
            continue
        ratio = result.ratios["rps"] or 0.0
        checks.append(
            Check(
                f"landing req/s >= {LANDING_MIN_RATIO:.0%} of hello world",
                _where(result),
                _verdict(ratio >= LANDING_MIN_RATIO),
                f"{ratio:.0%} ({result.measurement.rps:.0f} vs {result.baseline.rps:.0f} req/s)",
            )
        )
    return checks


def check_weights(weights: dict[str, PageWeight]) -> list[Check]:
    checks = []
    for lang, weight in weights.items():
        subject = f"landing {lang}"
        checks.append(
            Check(
                f"landing HTML+CSS+JS gzip <= {LANDING_MAX_BYTES / 1000:.0f} KB",
                subject,
                _verdict(weight.total <= LANDING_MAX_BYTES),
                f"{weight.total:,} B",
            )
        )
        if weight.poster:
            poster = Check(
                f"film poster <= {POSTER_MAX_BYTES / 1000:.0f} KB",
                subject,
                _verdict(weight.poster_total <= POSTER_MAX_BYTES),
                f"{weight.poster_total:,} B",
            )
        else:
            poster = Check("film poster present", subject, FAIL, "no poster with FILM_URL set")
        checks.append(poster)
        checks.append(
            Check(
                "landing needs no htmx",
                subject,
                _verdict(not weight.loads_htmx),
                "loads htmx" if weight.loads_htmx else "no htmx",
            )
        )
    return checks


def check_submissions(results: list[Result]) -> list[Check]:
    return [
        Check(
            f"form submission p99 < {SUBMIT_MAX_P99_MS:.0f} ms",
            _where(r),
            _verdict(r.measurement.p99_ms < SUBMIT_MAX_P99_MS),
            f"p99 {r.measurement.p99_ms:.1f} ms",
        )
        for r in results
        if r.group == "submit"
    ]


def check_inbox(results: list[Result]) -> list[Check]:
    checks = []
    found = {(r.key, r.db, r.size): r for r in results if r.key in INBOX_BUDGETED}
    for (key, db, size), large in sorted(found.items(), key=lambda item: str(item[0])):
        if size != LARGE:
            continue
        checks.append(
            Check(
                f"inbox p99 < {INBOX_MAX_P99_MS:.0f} ms at {LARGE:,}",
                _where(large),
                _verdict(large.measurement.p99_ms < INBOX_MAX_P99_MS),
                f"p99 {large.measurement.p99_ms:.1f} ms",
            )
        )
        small = found.get((key, db, SMALL))
        budget = f"inbox req/s at {LARGE:,} >= 1/{INBOX_MAX_SLOWDOWN} of {SMALL:,}"
        if small is None:
            checks.append(Check(budget, _where(large), SKIP, f"no {SMALL:,} run"))
            continue
        slowdown = small.measurement.rps / large.measurement.rps if large.measurement.rps else 0
        checks.append(
            Check(
                budget,
                _where(large),
                _verdict(0 < slowdown <= INBOX_MAX_SLOWDOWN),
                f"{slowdown:.2f}x ({small.measurement.rps:.0f} -> {large.measurement.rps:.0f})",
            )
        )
    return checks


def evaluate(results: list[Result], weights: dict[str, PageWeight]) -> list[Check]:
    """Every budget that the run's scenarios let us judge."""
    return [
        *check_landing(results),
        *check_weights(weights),
        *check_submissions(results),
        *check_inbox(results),
        *check_errors(results),
    ]


def failed(checks: list[Check]) -> bool:
    return any(check.status == FAIL for check in checks)
