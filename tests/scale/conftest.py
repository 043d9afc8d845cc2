"""Scale tests need Redis for shared rate limits: redis://127.0.0.1:6379/5, the tests' own db."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import empty_redis_database

REDIS_URL = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An empty Redis database for rate-limit counters; fails instead of skipping in CI."""
    with empty_redis_database(REDIS_URL) as url:
        yield url
