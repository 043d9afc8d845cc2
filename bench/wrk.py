"""Driving wrk and reading its result: one run, one ``Measurement``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"
REPORT_SCRIPT = LUA_DIR / "report.lua"
MARKER = "BENCH_RESULT "
THREADS = 2
CONNECTIONS = 8
# Every request looks like a browser's as far as the server's work is concerned.
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,*/*;q=0.8"}


class WrkError(RuntimeError):
    """wrk is missing, failed, or printed no result line."""


@dataclass
class Measurement:
    """What one wrk run measured. Latencies in milliseconds."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int
    error_detail: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    replayed: int = 0  # bodies posted a second time (BENCH_BODIES runs only)
    connections: int = CONNECTIONS

    def as_dict(self) -> dict:
        return asdict(self)


def parse_output(output: str) -> Measurement:
    """Read the ``BENCH_RESULT {...}`` line that ``lua/report.lua`` prints at the end of a run.

    Errors are every socket error (connect, read, write, timeout), every HTTP status above 399
    (wrk's own count) and every response the script was told not to expect.
    Raises WrkError when the line is missing or malformed.
    """
    line = next((ln for ln in output.splitlines() if ln.startswith(MARKER)), None)
    if line is None:
        raise WrkError("wrk printed no BENCH_RESULT line (was lua/report.lua used?)")
    try:
        raw = json.loads(line[len(MARKER) :])
        latency = raw["latency_us"]
        errors = {name: int(count) for name, count in raw["errors"].items()}
        requests = int(raw["requests"])
        seconds = int(raw["duration_us"]) / 1e6
    except (ValueError, KeyError, TypeError) as exc:
        raise WrkError(f"unreadable wrk result line: {line!r}") from exc
    if seconds <= 0:
        raise WrkError(f"wrk reported a run of {seconds} s")
    return Measurement(
        requests=requests,
        seconds=round(seconds, 3),
        rps=round(requests / seconds, 1),
        p50_ms=latency["p50"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        mean_ms=round(float(latency["mean"]) / 1000, 3),
        max_ms=latency["max"] / 1000,
        errors=sum(errors.values()),
        error_detail={name: count for name, count in errors.items() if count},
        bytes=int(raw.get("bytes", 0)),
        replayed=int(raw.get("replayed", 0)),
    )


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise WrkError("wrk is not installed (apt-get install wrk)")
    return path


def run(
    url: str,
    *,
    seconds: float,
    connections: int = CONNECTIONS,
    headers: dict[str, str] | None = None,
    script: Path = REPORT_SCRIPT,
    env: dict[str, str] | None = None,
) -> Measurement:
    """One wrk run against ``url``; ``env`` reaches the Lua script (``BENCH_EXPECT`` etc.)."""
    threads = min(THREADS, connections)  # wrk needs a connection per thread
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
    ]
    for name, value in {**BROWSER_HEADERS, **(headers or {})}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    env = {**(env or {}), "BENCH_THREADS": str(threads)}
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=seconds + 60,
        check=False,
    )
    if completed.returncode != 0:
        raise WrkError(f"wrk exited with {completed.returncode}: {completed.stderr.strip()}")
    return replace(parse_output(completed.stdout), connections=connections)
