"""A run's results: one record per scenario, each with its ratios to the hello-world baseline."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

from bench.wrk import CONNECTIONS, Measurement

RATIO_FIELDS = ("rps", "p50_ms", "p95_ms", "p99_ms")


def ratios(measured: Measurement, baseline: Measurement) -> dict[str, float | None]:
    """Each figure divided by the baseline's: ``rps`` 0.8 = 80% of hello world's throughput,
    ``p99_ms`` 2.0 = twice hello world's p99 latency."""
    out: dict[str, float | None] = {}
    for name in RATIO_FIELDS:
        base = getattr(baseline, name)
        out[name] = round(getattr(measured, name) / base, 3) if base else None
    return out


def median_baseline(runs: list[Measurement], connections: int) -> Measurement:
    """The baseline for a scenario without a paired one: the median of the hello runs at the
    same number of connections (at 8 when there is none at that number)."""
    same = [run for run in runs if run.connections == connections]
    runs = same or [run for run in runs if run.connections == CONNECTIONS]
    if not runs:
        raise ValueError(f"no hello-world run at {connections} or {CONNECTIONS} connections")

    def med(name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    return Measurement(
        requests=int(med("requests")),
        seconds=med("seconds"),
        rps=med("rps"),
        p50_ms=med("p50_ms"),
        p95_ms=med("p95_ms"),
        p99_ms=med("p99_ms"),
        mean_ms=med("mean_ms"),
        max_ms=med("max_ms"),
        errors=0,
        connections=runs[0].connections,
    )


def combine(slices: list[Measurement]) -> Measurement:
    """Several short runs of one scenario as one: throughput over their total time, latency
    percentiles as the median of the slices' (exact percentiles cannot be merged)."""
    if not slices:
        raise ValueError("nothing to combine")
    seconds = sum(m.seconds for m in slices)
    requests = sum(m.requests for m in slices)
    detail: dict[str, int] = {}
    for m in slices:
        for name, count in m.error_detail.items():
            detail[name] = detail.get(name, 0) + count
    return Measurement(
        requests=requests,
        seconds=round(seconds, 3),
        rps=round(requests / seconds, 1),
        p50_ms=statistics.median(m.p50_ms for m in slices),
        p95_ms=statistics.median(m.p95_ms for m in slices),
        p99_ms=statistics.median(m.p99_ms for m in slices),
        mean_ms=round(sum(m.mean_ms * m.requests for m in slices) / max(requests, 1), 3),
        max_ms=max(m.max_ms for m in slices),
        errors=sum(m.errors for m in slices),
        error_detail=detail,
        bytes=sum(m.bytes for m in slices),
        replayed=sum(m.replayed for m in slices),
        connections=slices[0].connections,
    )


@dataclass
class CacheFigure:
    """One page with the application cache empty (``cold_ms``: the first request after emptying
    Redis) and filled (``warm_ms``: the same request right after), one request at a time, the
    median of a few rounds; ``keys``: how many entries the page left in Redis."""

    cold_ms: float
    warm_ms: float
    keys: int


@dataclass
class Result:
    """One scenario measured once against one database (``db``) and data size (``size``)."""

    key: str
    label: str
    group: str
    path: str
    measurement: Measurement
    baseline: Measurement
    paired: bool = False  # baseline measured right before this scenario, not the run's median
    db: str | None = None
    size: int | None = None
    cache: CacheFigure | None = None  # None: the page left nothing in the application cache
    tokens: list[str] = field(default_factory=list)  # form pages: the tokens sampled after the run
    notes: list[str] = field(default_factory=list)

    @property
    def connections(self) -> int:
        return self.measurement.connections

    @property
    def subject(self) -> str:
        """``inbox_list / postgres / 100,000 / c1``: what a budget line is about."""
        parts = [self.key, self.db or "", f"{self.size:,}" if self.size else ""]
        if self.connections != CONNECTIONS:
            parts.append(f"c{self.connections}")
        return " / ".join(part for part in parts if part)

    @property
    def ratios(self) -> dict[str, float | None]:
        return ratios(self.measurement, self.baseline)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(ratios=self.ratios, connections=self.connections, subject=self.subject)
        return data
