"""The run's table on the terminal and its JSON file."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.budgets import Check, failed
from bench.runner import Report
from bench.servers import GUNICORN_SETTINGS
from bench.wrk import CONNECTIONS, THREADS

COLUMNS = (
    ("scenario", 14),
    ("db", 8),
    ("enquiries", 9),
    ("c", 3),
    ("req/s", 8),
    ("x hello", 7),
    ("p50 ms", 7),
    ("x", 5),
    ("p95 ms", 7),
    ("x", 5),
    ("p99 ms", 7),
    ("x", 5),
    ("errors", 6),
)


def _row(values: list[str]) -> str:
    cells = []
    for (_, width), value in zip(COLUMNS, values, strict=True):
        cells.append(value.ljust(width) if width >= 14 else value.rjust(width))
    return "  ".join(cells)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _baselines(report: Report) -> list[str]:
    lines = []
    for connections in sorted({run.connections for run in report.hello_runs}):
        base = report.baseline(connections)
        runs = [run for run in report.hello_runs if run.connections == connections]
        lines.append(
            f"hello world at c{connections}: {base.rps:.0f} req/s, p50 {base.p50_ms:.2f} ms, "
            f"p99 {base.p99_ms:.2f} ms (median of {len(runs)} runs: "
            + ", ".join(f"{run.rps:.0f}" for run in runs)
            + " req/s)"
        )
    return lines


def _cache_lines(report: Report) -> list[str]:
    lines = ["", "Application cache (Redis), one request at a time, median of each probe:"]
    probed = [result for result in report.results if result.cache]
    for result in probed:
        figure = result.cache
        lines.append(
            f"  {result.subject:<34} cold {figure.cold_ms:7.2f} ms   warm {figure.warm_ms:7.2f} ms"
            f"   ({figure.keys} entries)"
        )
    if not probed:
        lines.append("  no page measured left an entry in the cache")
    return lines


def table(report: Report, checks: list[Check]) -> str:
    lines = [
        f"gunicorn {' '.join(GUNICORN_SETTINGS[:4])} on 127.0.0.1; wrk -t{THREADS} "
        f"-c{CONNECTIONS} -d{report.seconds:g}s (c = connections; wrk -t1 at c1); the "
        "application cache emptied before every wrk run",
        *_baselines(report),
        "landing pages are compared with the hello runs they alternated with; the rest with the "
        "median at their number of connections",
        "",
        _row([name for name, _ in COLUMNS]),
    ]
    for result in report.results:
        m, r = result.measurement, result.ratios
        lines.append(
            _row(
                [
                    result.key,
                    result.db or "-",
                    f"{result.size:,}" if result.size else "-",
                    str(result.connections),
                    f"{m.rps:.0f}",
                    _ratio(r["rps"]),
                    f"{m.p50_ms:.2f}",
                    _ratio(r["p50_ms"]),
                    f"{m.p95_ms:.2f}",
                    _ratio(r["p95_ms"]),
                    f"{m.p99_ms:.2f}",
                    _ratio(r["p99_ms"]),
                    str(m.errors),
                ]
            )
        )
    lines += _cache_lines(report)
    if report.weights:
        lines += ["", "Page weight (gzip bytes on the wire, headers not counted):"]
        for lang, weight in report.weights.items():
            css, js = sum(weight.css.values()), sum(weight.js.values())
            lines.append(
                f"  {lang}: HTML {weight.html:,} + CSS {css:,} + JS {js:,} = {weight.total:,} B;"
                f" poster {weight.poster_total:,} B"
            )
    if report.memory:
        lines += ["", "Peak RSS per gunicorn worker (VmHWM):"]
        for server, peaks in report.memory.items():
            shown = ", ".join(f"{kb / 1024:.1f} MiB" for kb in peaks.values()) or "not read"
            lines.append(f"  {server}: {shown}")
    lines += ["", "Budgets:"]
    for check in checks:
        lines.append(f"  {check.status:4}  {check.budget:<46} {check.subject:<38} {check.measured}")
    for note in report.notes:
        lines.append(f"  note: {note}")
    verdict = "FAIL: at least one budget missed" if failed(checks) else "all budgets PASS"
    lines += ["", verdict]
    return "\n".join(lines)


def to_json(report: Report, checks: list[Check], command: str) -> dict:
    return {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "machine": {"cpus": _cpus(), "python": platform.python_version()},
        "settings": {
            "gunicorn": GUNICORN_SETTINGS,
            "wrk": {"threads": THREADS, "connections": CONNECTIONS, "seconds": report.seconds},
        },
        "hello_runs": [run.as_dict() for run in report.hello_runs],
        "baseline": report.baseline().as_dict(),
        "results": [result.as_dict() for result in report.results],
        "page_weight": {lang: weight.as_dict() for lang, weight in report.weights.items()},
        "memory_kib": {
            name: {str(pid): kb for pid, kb in peaks.items()}
            for name, peaks in report.memory.items()
        },
        "budgets": [check.as_dict() for check in checks],
        "notes": report.notes,
        "passed": not failed(checks),
    }


def _cpus() -> int:
    return os.cpu_count() or 0


def write_json(data: dict, out_dir: Path) -> Path:
    """``bench-<UTC time>.json`` plus a copy as ``latest.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"bench-{stamp}.json"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    (out_dir / "latest.json").write_text(text + "\n", encoding="utf-8")
    return path
