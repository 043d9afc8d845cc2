"""The budgets of SPEC.md "Non-functional budgets", and PASS/FAIL/SKIP for each."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bench.results import Result
from bench.scenarios import SINGLE_CONNECTION
from bench.sizes import PageWeight
from bench.wrk import CONNECTIONS

LANDING_MIN_RATIO = 0.50  # landing page requests/s >= 50% of hello world's
FORM_MAX_P99_MS = 100.0  # the form page, on the site and in the embed, at 8 connections
TOKEN_SAMPLES = 5  # form pages fetched after the run: each must carry a token of its own
SUBMIT_MAX_P99_MS = 150.0  # valid form submissions at 16 concurrent clients
INBOX_MAX_P99_MS = 100.0  # inbox list, filter and search at 100,000 enquiries, 8 connections
INBOX_MAX_P50_MS = 30.0  # the same at one connection
INBOX_MAX_SLOWDOWN = 1.2  # requests/s at 10,000 <= 1.2 x requests/s at 100,000
LANDING_MAX_BYTES = 30_000  # HTML + CSS + JS, gzip, before the film is played
POSTER_MAX_BYTES = 15_000  # the film's poster, on top
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


def _below(budget: str, result: Result, figure: str, limit: float) -> Check:
    """``figure`` (a Measurement field in ms) of ``result`` under ``limit``."""
    value = getattr(result.measurement, figure)
    label = figure.removesuffix("_ms")
    return Check(budget, result.subject, _verdict(value < limit), f"{label} {value:.1f} ms")


def check_errors(results: list[Result]) -> list[Check]:
    """Every scenario must run clean: an error makes its figures meaningless."""
    return [
        Check("no errors", r.subject, FAIL, f"{r.measurement.errors} {r.measurement.error_detail}")
        for r in results
        if r.measurement.errors
    ]


def check_landing(results: list[Result]) -> list[Check]:
    checks = []
    for result in (r for r in results if r.group == "landing"):
        ratio = result.ratios["rps"] or 0.0
        checks.append(
            Check(
                f"landing req/s >= {LANDING_MIN_RATIO:.0%} of hello world",
                result.subject,
                _verdict(ratio >= LANDING_MIN_RATIO),
                f"{ratio:.0%} ({result.measurement.rps:.0f} vs {result.baseline.rps:.0f} req/s)",
            )
        )
    return checks


def check_form_pages(results: list[Result]) -> list[Check]:
    """p99 under load, and a token of its own in every page sampled after the load."""
    checks = []
    for result in (r for r in results if r.group == "form"):
        budget = f"form page p99 < {FORM_MAX_P99_MS:.0f} ms"
        checks.append(_below(budget, result, "p99_ms", FORM_MAX_P99_MS))
        tokens = [token for token in result.tokens if token]
        distinct = len(set(tokens))
        checks.append(
            Check(
                "form page: every visitor their own token",
                result.subject,
                _verdict(len(result.tokens) == TOKEN_SAMPLES == distinct),
                f"{distinct} distinct of {len(result.tokens)} sampled",
            )
        )
    return checks


def check_submissions(results: list[Result]) -> list[Check]:
    budget = f"form submission p99 < {SUBMIT_MAX_P99_MS:.0f} ms"
    return [_below(budget, r, "p99_ms", SUBMIT_MAX_P99_MS) for r in results if r.group == "submit"]


def check_inbox(results: list[Result]) -> list[Check]:
    """At 100,000: p99 at 8 connections, p50 at one, and throughput against 10,000's."""
    checks = []
    inbox = [r for r in results if r.group == "inbox"]
    loaded = {(r.key, r.db, r.size): r for r in inbox if r.connections == CONNECTIONS}
    for result in sorted(inbox, key=lambda r: r.subject):
        if result.size != LARGE:
            continue
        if result.connections == SINGLE_CONNECTION:
            budget = f"inbox p50 < {INBOX_MAX_P50_MS:.0f} ms at {LARGE:,}, 1 connection"
            checks.append(_below(budget, result, "p50_ms", INBOX_MAX_P50_MS))
            continue
        budget = f"inbox p99 < {INBOX_MAX_P99_MS:.0f} ms at {LARGE:,}"
        checks.append(_below(budget, result, "p99_ms", INBOX_MAX_P99_MS))
        budget = f"inbox req/s at {LARGE:,} >= 1/{INBOX_MAX_SLOWDOWN} of {SMALL:,}"
        small = loaded.get((result.key, result.db, SMALL))
        if small is None:
            checks.append(Check(budget, result.subject, SKIP, f"no {SMALL:,} run"))
            continue
        large_rps, small_rps = result.measurement.rps, small.measurement.rps
        slowdown = small_rps / large_rps if large_rps else 0
        checks.append(
            Check(
                budget,
                result.subject,
                _verdict(0 < slowdown <= INBOX_MAX_SLOWDOWN),
                f"{slowdown:.2f}x ({small_rps:.0f} -> {large_rps:.0f} req/s)",
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


def evaluate(results: list[Result], weights: dict[str, PageWeight]) -> list[Check]:
    """Every budget that the run's scenarios let us judge."""
    return [
        *check_landing(results),
        *check_form_pages(results),
        *check_submissions(results),
        *check_inbox(results),
        *check_weights(weights),
        *check_errors(results),
    ]


def failed(checks: list[Check]) -> bool:
    return any(check.status == FAIL for check in checks)
