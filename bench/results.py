"""A run's results: one record per scenario, each with its ratios to the hello-world baseline."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field

from bench.wrk import Measurement

RATIO_FIELDS = ("rps", "p50_ms", "p95_ms", "p99_ms")


def ratios(measured: Measurement, baseline: Measurement) -> dict[str, float | None]:
    """Each figure divided by the baseline's: ``rps`` 0.8 = 80% of hello world's throughput,
    ``p99_ms`` 2.0 = twice hello world's p99 latency."""
    out: dict[str, float | None] = {}
    for name in RATIO_FIELDS:
        base = getattr(baseline, name)
        out[name] = round(getattr(measured, name) / base, 3) if base else None
    return out


def median_baseline(runs: list[Measurement]) -> Measurement:
    """The run's baseline for scenarios without a paired one: the median of every hello run."""
    if not runs:
        raise ValueError("no hello-world run to compare with")

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
    )


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
    connections: int = 8
    notes: list[str] = field(default_factory=list)

    @property
    def ratios(self) -> dict[str, float | None]:
        return ratios(self.measurement, self.baseline)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ratios"] = self.ratios
        return data
