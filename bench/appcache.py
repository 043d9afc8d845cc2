"""The portal's application cache on the local Redis, as in production (``CACHE_REDIS_URL``):
emptied before every measurement, and probed for what a page costs with it empty and filled.

The benchmark owns the whole Redis database it is given (``BENCH_REDIS_URL``) and empties it
with ``FLUSHDB``: never point it at a database anything else uses.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import redis

from bench.results import CacheFigure

DEFAULT_URL = "redis://127.0.0.1:6379/6"
PROBE_ROUNDS = 5


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_URL)


def _timed_ms(request: Callable[[], object]) -> float:
    started = time.perf_counter()
    request()
    return (time.perf_counter() - started) * 1000


class AppCache:
    """The Redis database every portal server of the run is given as its cache."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=5)

    def available(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False

    def flush(self) -> None:
        """Empty the cache, so that a measurement starts cold and sees only its own server's
        entries (the inbox's two servers share the database and alternate)."""
        self.client.flushdb()

    def entries(self) -> int:
        return int(self.client.dbsize())

    def probe(self, request: Callable[[], object]) -> CacheFigure | None:
        """Time ``request`` right after emptying the cache (cold) and once more (warm), a few
        rounds; None when it left nothing in the cache (the page does not use it)."""
        cold, warm, entries = [], [], 0
        for _ in range(PROBE_ROUNDS):
            self.flush()
            cold.append(_timed_ms(request))
            entries = max(entries, self.entries())
            warm.append(_timed_ms(request))
        self.flush()
        return cache_figure(cold, warm, entries)


def cache_figure(cold: list[float], warm: list[float], entries: int) -> CacheFigure | None:
    """The probe's rounds summed up: the median of each side; None when nothing was cached."""
    if not entries:
        return None
    return CacheFigure(
        cold_ms=round(statistics.median(cold), 2),
        warm_ms=round(statistics.median(warm), 2),
        keys=entries,
    )
