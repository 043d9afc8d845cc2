"""Scale tests need Redis for shared rate limits: redis://127.0.0.1:6379/5, the tests' own db."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An empty Redis database for rate-limit counters; fails instead of skipping in CI."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        client.close()
        message = f"needs Redis at {REDIS_URL} ({error})"
        if os.environ.get("REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(message)
        pytest.skip(message)
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()
