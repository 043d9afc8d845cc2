"""One benchmark run: the baseline and the portal under gunicorn, every scenario through wrk."""

from __future__ import annotations

import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench import databases, inbox, submit, wrk
from bench.budgets import FAIL, Check, evaluate
from bench.results import Result, combine, median_baseline
from bench.scenarios import (
    FORM,
    INBOX,
    INBOX_SIZES,
    LANDING,
    STATIC,
    SUBMIT,
    SUBMIT_CONNECTIONS,
    WEB_SCENARIOS,
    Scenario,
)
from bench.servers import Gunicorn
from bench.sizes import PageWeight, page_weight
from bench.wrk import Measurement

WARM_UP_SECONDS = 1
# Tokens fetched per second of the run: well over what two workers can post. A wrk thread whose
# share runs out stops, leaving its last connections unread; gunicorn then waits (up to 2 s) for
# them to close, and the rest of the run measures that wait, so running out is reported as a
# failed run, never measured as a figure.
SUBMIT_BODIES_PER_SECOND = 1000
FORM_MIN_FILL_SECONDS = 3.0  # the portal's default, which the benchmark keeps
SLICE_SECONDS = 2  # paired scenarios alternate with hello world in slices this long


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx surfaces as HTTPError with its own code


_opener = urllib.request.build_opener(_NoRedirects)


def status_of(url: str, headers: dict[str, str] | None = None) -> int:
    """The status a single GET gets, redirects not followed."""
    request = urllib.request.Request(url, headers={**wrk.BROWSER_HEADERS, **(headers or {})})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@dataclass
class Report:
    """Everything a run produced, for the table and the JSON file."""

    seconds: float
    databases: tuple[str, ...]
    hello_runs: list[Measurement] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    weights: dict[str, PageWeight] = field(default_factory=dict)
    memory: dict[str, dict[int, int]] = field(default_factory=dict)
    problems: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def baseline(self) -> Measurement:
        return median_baseline(self.hello_runs)

    def checks(self) -> list[Check]:
        return [*evaluate(self.results, self.weights), *self.problems]


class Runner:
    """Runs the chosen groups on the chosen databases; ``run()`` returns the Report."""

    def __init__(self, *, seconds: float, out_dir: Path, dbs: tuple[str, ...], groups: set[str]):
        self.seconds = seconds
        self.groups = groups
        self.log_dir = out_dir / "logs"
        self.data_dir = out_dir / "data"
        self.secret_key = databases.new_secret_key()
        self.report = Report(seconds=seconds, databases=dbs)
        self.hello: Gunicorn | None = None

    # ------------------------------------------------------------------ measuring

    def measure_hello(self) -> Measurement:
        measurement = wrk.run(self.hello.url("/"), seconds=self.seconds)
        self.report.hello_runs.append(measurement)
        return measurement

    def alternate(self, targets: list[tuple[str, dict | None]]) -> list[Measurement]:
        """The targets (url, headers) in turn, in short slices, so that whatever else the machine
        is doing weighs on all of them alike; each target's slices combined into one."""
        rounds = max(1, int(self.seconds // SLICE_SECONDS))
        slice_seconds = max(1, int(self.seconds // rounds))
        slices: list[list[Measurement]] = [[] for _ in targets]
        for _ in range(rounds):
            for index, (url, headers) in enumerate(targets):
                slices[index].append(wrk.run(url, seconds=slice_seconds, headers=headers))
        return [combine(measurements) for measurements in slices]

    def interleaved(
        self, url: str, headers: dict[str, str] | None
    ) -> tuple[Measurement, Measurement]:
        """Hello world and ``url`` alternating; returns (hello, scenario)."""
        baseline, measurement = self.alternate([(self.hello.url("/"), None), (url, headers)])
        self.report.hello_runs.append(baseline)
        return baseline, measurement

    def problem(self, subject: str, detail: str) -> None:
        self.report.problems.append(Check("scenario ran", subject, FAIL, detail))

    def measure(
        self,
        server: Gunicorn,
        scenario: Scenario,
        path: str,
        *,
        db: str | None = None,
        size: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Result | None:
        """Pre-flight (the expected status, no redirect followed), warm up, measure."""
        url = server.url(path)
        status = status_of(url, headers)
        if status != scenario.expect:
            self.problem(scenario.key, f"GET {path} answered {status}, not {scenario.expect}")
            return None
        wrk.run(url, seconds=WARM_UP_SECONDS, headers=headers)
        if scenario.paired:
            baseline, measurement = self.interleaved(url, headers)
        else:
            baseline, measurement = None, wrk.run(url, seconds=self.seconds, headers=headers)
        result = Result(
            key=scenario.key,
            label=scenario.label,
            group=scenario.group,
            path=path,
            measurement=measurement,
            baseline=baseline or measurement,  # replaced by the run's median unless paired
            paired=baseline is not None,
            db=db,
            size=size,
        )
        self.report.results.append(result)
        return result

    # ------------------------------------------------------------------ the run

    def run(self) -> Report:
        with Gunicorn("hello", "bench.hello:app", {}, self.log_dir) as hello:
            self.hello = hello.start("/")
            wrk.run(hello.url("/"), seconds=WARM_UP_SECONDS)
            self.measure_hello()
            for index, db in enumerate(self.report.databases):
                self.run_web(db, first=index == 0)
                if "inbox" in self.groups:
                    self.run_inbox(db)
            self.measure_hello()
            self.report.memory[hello.name] = hello.record_memory()
        baseline = self.report.baseline
        for result in self.report.results:
            if not result.paired:
                result.baseline = baseline
        return self.report

    def run_web(self, db: str, *, first: bool) -> None:
        """Public pages (once) and the database health check (per database)."""
        url = databases.database_url(db, "web", self.data_dir)
        databases.recreate(url)
        env = databases.portal_env(url, self.secret_key)
        databases.migrate(env)
        with Gunicorn(f"portal-{db}", "wsgi:app", env, self.log_dir) as portal:
            portal.env["PUBLIC_BASE_URL"] = portal.base_url  # the Origin its form is posted from
            portal.start("/healthz")
            if first and "sizes" in self.groups:
                for scenario in LANDING:
                    lang = scenario.key.rsplit("_", 1)[1]
                    self.report.weights[lang] = page_weight(portal.url(scenario.path))
            for scenario in WEB_SCENARIOS:
                if scenario.group not in self.groups or not (first or scenario.per_db):
                    continue
                path = self.static_path(portal) if scenario is STATIC else scenario.path
                if scenario.group in ("form", "embed") and status_of(portal.url(path)) == 404:
                    self.report.notes.append(f"{scenario.key}: {path} does not exist yet")
                    continue
                self.measure(portal, scenario, path, db=db if scenario.per_db else None)
            if "submit" in self.groups:
                self.run_submit(portal, db, url)
            self.report.memory[portal.name] = portal.record_memory()

    def run_submit(self, portal: Gunicorn, db: str, database_url: str) -> None:
        """Valid submissions at 16 connections, each token used once; then count what was kept."""
        if status_of(portal.url(FORM.path)) == 404:
            self.report.notes.append(f"submit: {FORM.path} does not exist yet")
            return
        count = max(500, int(SUBMIT_BODIES_PER_SECOND * self.seconds))
        bodies = self.data_dir / f"submit-{db}.txt"
        before, _ = submit.stored_enquiries(database_url)
        action = submit.prepare_bodies(portal.url(FORM.path), count, FORM_MIN_FILL_SECONDS, bodies)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": portal.base_url,
            "Sec-Fetch-Site": "same-origin",
            "Sec-Fetch-Mode": "navigate",
        }
        measurement = wrk.run(
            portal.url(action),
            seconds=self.seconds,
            connections=SUBMIT_CONNECTIONS,
            headers=headers,
            env={"BENCH_BODIES": str(bodies), "BENCH_EXPECT": str(SUBMIT.expect)},
        )
        stored, spam = submit.stored_enquiries(database_url)
        databases.settle(database_url)  # its thousands of rows are not vacuumed during the next
        result = Result(
            key=SUBMIT.key,
            label=SUBMIT.label,
            group=SUBMIT.group,
            path=action,
            measurement=measurement,
            baseline=measurement,
            db=db,
            connections=SUBMIT_CONNECTIONS,
            notes=[
                f"{stored - before} enquiries stored ({spam} as spam) for "
                f"{measurement.requests} responses; {measurement.replayed} token(s) reused "
                f"in flight at the end; {count} tokens prepared"
            ],
        )
        self.report.results.append(result)
        self.report.notes.append(f"submit / {db}: {result.notes[0]}")
        if measurement.requests >= count:
            self.problem(
                f"submit / {db}",
                f"the {count} prepared tokens ran out before the run ended: the figures measure "
                "the stopped clients; raise SUBMIT_BODIES_PER_SECOND",
            )
        if spam:
            self.problem(f"submit / {db}", f"{spam} submissions were kept as spam")

    def run_inbox(self, db: str) -> None:
        """List, filter, search and detail, logged in, at each size: the sizes' servers run side
        by side and alternate slice by slice, so the cost of growth is compared fairly."""
        with ExitStack() as stack:
            targets = []
            for size in INBOX_SIZES:
                url, env, seeded = inbox.prepare(db, size, self.data_dir, self.secret_key)
                if seeded:
                    self.report.notes.append(f"inbox / {db}: seeded {size:,} demo enquiries")
                portal = stack.enter_context(
                    Gunicorn(f"portal-{db}-{size}", "wsgi:app", env, self.log_dir)
                )
                portal.start("/healthz")
                cookie = {"Cookie": inbox.login(portal.base_url)}
                targets.append((size, portal, cookie, inbox.paths(inbox.middle_enquiry(url))))
            for scenario in INBOX:
                self.measure_sizes(db, scenario, targets)
            for _size, portal, _cookie, _paths in targets:
                self.report.memory[portal.name] = portal.record_memory()

    def measure_sizes(self, db: str, scenario: Scenario, targets: list[tuple]) -> None:
        for size, portal, cookie, paths in targets:
            status = status_of(portal.url(paths[scenario.key]), cookie)
            if status != scenario.expect:
                self.problem(f"{scenario.key} / {db} / {size:,}", f"answered {status}")
                return
            wrk.run(portal.url(paths[scenario.key]), seconds=WARM_UP_SECONDS, headers=cookie)
        measured = self.alternate(
            [(portal.url(paths[scenario.key]), cookie) for _s, portal, cookie, paths in targets]
        )
        for (size, _portal, _cookie, paths), measurement in zip(targets, measured, strict=True):
            self.report.results.append(
                Result(
                    key=scenario.key,
                    label=scenario.label,
                    group=scenario.group,
                    path=paths[scenario.key],
                    measurement=measurement,
                    baseline=measurement,  # replaced by the run's median baseline
                    db=db,
                    size=size,
                )
            )

    def static_path(self, portal: Gunicorn) -> str:
        """The stylesheet the landing page links, with its content hash (``?v=``)."""
        weight = self.report.weights.get("nb") or page_weight(portal.url("/"))
        return next(iter(weight.css))
