"""One benchmark run: the baseline and the portal under gunicorn, every scenario through wrk."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench import client, databases, inbox, submit, wrk
from bench.appcache import AppCache
from bench.budgets import FAIL, TOKEN_SAMPLES, Check, evaluate
from bench.results import CacheFigure, Result, combine, median_baseline
from bench.scenarios import (
    FORM,
    FORM_PAGES,
    INBOX,
    INBOX_SIZES,
    LANDING,
    SINGLE_CONNECTION,
    SUBMIT,
    SUBMIT_CONNECTIONS,
    Scenario,
)
from bench.servers import Gunicorn
from bench.sizes import PageWeight, page_weight
from bench.wrk import CONNECTIONS, Measurement

WARM_UP_SECONDS = 1
# Tokens fetched per second of the run: well over what two workers can post. A wrk thread whose
# share runs out stops, leaving its last connections unread; gunicorn then waits (up to 2 s) for
# them to close, and the rest of the run measures that wait, so running out is reported as a
# failed run, never measured as a figure.
SUBMIT_BODIES_PER_SECOND = 1000
FORM_MIN_FILL_SECONDS = 3.0  # the portal's default, which the benchmark keeps
SLICE_SECONDS = 2  # alternated scenarios take turns in slices this long


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

    def baseline(self, connections: int = CONNECTIONS) -> Measurement:
        return median_baseline(self.hello_runs, connections)

    def checks(self) -> list[Check]:
        return [*evaluate(self.results, self.weights), *self.problems]


class Runner:
    """Runs the chosen groups on the chosen databases; ``run()`` returns the Report."""

    def __init__(
        self,
        *,
        seconds: float,
        out_dir: Path,
        dbs: tuple[str, ...],
        groups: set[str],
        cache: AppCache,
    ):
        self.seconds = seconds
        self.groups = groups
        self.log_dir = out_dir / "logs"
        self.data_dir = out_dir / "data"
        self.secret_key = databases.new_secret_key()
        self.cache = cache
        self.report = Report(seconds=seconds, databases=dbs)
        self.hello: Gunicorn | None = None

    # ------------------------------------------------------------------ measuring

    def load(
        self,
        url: str,
        *,
        seconds: float | None = None,
        connections: int = CONNECTIONS,
        headers: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
    ) -> Measurement:
        """One wrk run, started with the application cache empty."""
        self.cache.flush()
        seconds = seconds or self.seconds
        return wrk.run(url, seconds=seconds, connections=connections, headers=headers, env=env)

    def measure_hello(self, connections: int = CONNECTIONS) -> None:
        self.report.hello_runs.append(self.load(self.hello.url("/"), connections=connections))

    def alternate(self, targets: list[tuple[str, dict | None]]) -> list[Measurement]:
        """The targets (url, headers) in turn, in short slices, so that whatever else the machine
        is doing weighs on all of them alike; each target's slices combined into one."""
        rounds = max(1, int(self.seconds // SLICE_SECONDS))
        slice_seconds = max(1, int(self.seconds // rounds))
        slices: list[list[Measurement]] = [[] for _ in targets]
        for _ in range(rounds):
            for index, (url, headers) in enumerate(targets):
                slices[index].append(self.load(url, seconds=slice_seconds, headers=headers))
        return [combine(measurements) for measurements in slices]

    def problem(self, subject: str, detail: str) -> None:
        self.report.problems.append(Check("scenario ran", subject, FAIL, detail))

    def ready(self, subject: str, url: str, expect: int, headers: dict | None = None) -> bool:
        """The status expected (no redirect followed), then the workers warmed up."""
        self.cache.flush()
        status, _body = client.get(url, headers)
        if status != expect:
            self.problem(subject, f"GET {url} answered {status}, not {expect}")
            return False
        self.load(url, seconds=WARM_UP_SECONDS, headers=headers)
        return True

    def probe(self, url: str, headers: dict | None = None) -> CacheFigure | None:
        return self.cache.probe(lambda: client.get(url, headers))

    def record(self, scenario: Scenario, measurement: Measurement, **details) -> Result:
        """A Result; its baseline is the run's hello world unless ``details`` pairs one."""
        paired = details.pop("baseline", None)
        result = Result(
            key=scenario.key,
            label=scenario.label,
            group=scenario.group,
            path=scenario.path,
            measurement=measurement,
            baseline=paired or measurement,  # replaced at the end of the run unless paired
            paired=paired is not None,
            **details,
        )
        self.report.results.append(result)
        return result

    # ------------------------------------------------------------------ the run

    def run(self) -> Report:
        with Gunicorn("hello", "bench.hello:app", {}, self.log_dir) as hello:
            self.hello = hello.start("/")
            self.load(hello.url("/"), seconds=WARM_UP_SECONDS)
            self.measure_hello()
            if "inbox" in self.groups:
                self.measure_hello(SINGLE_CONNECTION)
            if "submit" in self.groups:
                self.measure_hello(SUBMIT_CONNECTIONS)
            for index, db in enumerate(self.report.databases):
                self.run_portal(db, first=index == 0)
                if "inbox" in self.groups:
                    self.run_inbox(db)
            self.measure_hello()
            self.report.memory[hello.name] = hello.record_memory()
        for result in self.report.results:
            if not result.paired:
                result.baseline = self.report.baseline(result.connections)
        return self.report

    def run_portal(self, db: str, *, first: bool) -> None:
        """The public pages and form submissions on a fresh database (page weight only once)."""
        url = databases.database_url(db, "web", self.data_dir)
        databases.recreate(url)
        env = databases.portal_env(url, self.secret_key, self.cache.url)
        databases.migrate(env)
        with Gunicorn(f"portal-{db}", "wsgi:app", env, self.log_dir) as portal:
            portal.env["PUBLIC_BASE_URL"] = portal.base_url  # the Origin its form is posted from
            portal.start("/healthz")
            if first and "sizes" in self.groups:
                for scenario in LANDING:
                    lang = scenario.key.rsplit("_", 1)[1]
                    self.report.weights[lang] = page_weight(portal.url(scenario.path))
            for scenario in (*LANDING, *FORM_PAGES):
                if scenario.group in self.groups:
                    self.measure_page(portal, scenario, db)
            if "submit" in self.groups:
                self.run_submit(portal, db, url)
            self.report.memory[portal.name] = portal.record_memory()

    def measure_page(self, portal: Gunicorn, scenario: Scenario, db: str) -> None:
        """A public page under load (landing pages in turn with hello world); the form pages'
        tokens sampled afterwards, with whatever the run left in the cache."""
        url = portal.url(scenario.path)
        if not self.ready(f"{scenario.key} / {db}", url, scenario.expect):
            return
        cache = self.probe(url)
        baseline = None
        if scenario.paired:
            baseline, measurement = self.alternate([(self.hello.url("/"), None), (url, None)])
            self.report.hello_runs.append(baseline)
        else:
            measurement = self.load(url)
        tokens = submit.form_tokens(url, TOKEN_SAMPLES) if scenario.group == "form" else []
        self.record(scenario, measurement, db=db, baseline=baseline, cache=cache, tokens=tokens)

    def run_submit(self, portal: Gunicorn, db: str, database_url: str) -> None:
        """Valid submissions at 16 connections, each token used once; then count what was kept."""
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
        measurement = self.load(
            portal.url(action),
            connections=SUBMIT_CONNECTIONS,
            headers=headers,
            env={"BENCH_BODIES": str(bodies), "BENCH_EXPECT": str(SUBMIT.expect)},
        )
        stored, spam = submit.stored_enquiries(database_url)
        databases.settle(database_url)  # its thousands of rows are not vacuumed during the next
        note = (
            f"{stored - before} enquiries stored ({spam} as spam) for {measurement.requests} "
            f"responses; {measurement.replayed} token(s) reused in flight at the end; "
            f"{count} tokens prepared"
        )
        self.record(SUBMIT, measurement, db=db, notes=[note])
        self.report.notes.append(f"submit / {db}: {note}")
        if measurement.requests >= count:
            self.problem(
                f"submit / {db}",
                f"the {count} prepared tokens ran out before the run ended: the figures measure "
                "the stopped clients; raise SUBMIT_BODIES_PER_SECOND",
            )
        if spam:
            self.problem(f"submit / {db}", f"{spam} submissions were kept as spam")

    def run_inbox(self, db: str) -> None:
        """List, filter and search, logged in, at each size: the sizes' servers run side by side
        and take turns slice by slice, so the cost of growth is compared fairly."""
        with ExitStack() as stack:
            targets = []
            for size in INBOX_SIZES:
                env, seeded = inbox.prepare(
                    db, size, self.data_dir, self.secret_key, self.cache.url
                )
                if seeded:
                    self.report.notes.append(f"inbox / {db}: seeded {size:,} demo enquiries")
                name = f"portal-{db}-{size}"
                portal = stack.enter_context(Gunicorn(name, "wsgi:app", env, self.log_dir))
                portal.start("/healthz")
                targets.append((size, portal, {"Cookie": inbox.login(portal.base_url)}))
            for scenario in INBOX:
                self.measure_sizes(db, scenario, targets)
            for _size, portal, _cookie in targets:
                self.report.memory[portal.name] = portal.record_memory()

    def measure_sizes(self, db: str, scenario: Scenario, targets: list[tuple]) -> None:
        """One inbox page at every size in turn at 8 connections, then the largest alone at one."""
        caches = {}
        for size, portal, cookie in targets:
            url = portal.url(scenario.path)
            if not self.ready(f"{scenario.key} / {db} / {size:,}", url, scenario.expect, cookie):
                return
            caches[size] = self.probe(url, cookie)
        urls = [(portal.url(scenario.path), cookie) for _size, portal, cookie in targets]
        measured = self.alternate(urls)
        for (size, _portal, _cookie), measurement in zip(targets, measured, strict=True):
            self.record(scenario, measurement, db=db, size=size, cache=caches[size])
        size, portal, cookie = max(targets, key=lambda target: target[0])
        alone = self.load(portal.url(scenario.path), connections=SINGLE_CONNECTION, headers=cookie)
        self.record(scenario, alone, db=db, size=size)
