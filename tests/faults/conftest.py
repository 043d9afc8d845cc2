"""Fault-test fixtures: a throwaway PostgreSQL cluster the test may stop and start."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pg_cluster import ThrowawayCluster, unavailable_reason


@pytest.fixture
def throwaway_cluster() -> Iterator[ThrowawayCluster]:
    """A running cluster of the test's own (never the machine's shared server)."""
    reason = unavailable_reason()
    if reason:
        if os.environ.get("REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"REQUIRE_POSTGRES is set but {reason}")
        pytest.skip(reason)
    cluster = ThrowawayCluster().init()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.remove()
