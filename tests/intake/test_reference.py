"""Reference numbers: format, a new sequence each Norwegian year, no duplicates under load."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.intake.models import Enquiry
from portal.intake.reference import allocate_reference, format_reference
from portal.intake.services import submit_enquiry
from tests.intake.enquiry_builders import service_values

THREADS = 20


def test_reference_has_four_digits_or_more():
    assert format_reference(2026, 7) == "SESAM-2026-0007"
    assert format_reference(2026, 12345) == "SESAM-2026-12345"


def test_sequence_counts_up_within_a_year(app):
    moment = datetime(2026, 5, 1, 12, tzinfo=UTC)
    numbers = [allocate_reference(moment)[1] for _ in range(3)]
    db.session.rollback()
    assert numbers == [1, 2, 3]


def test_a_new_year_restarts_at_0001_by_norwegian_time(app):
    # 22:30 UTC on 31 December is already 23:30 in Oslo: still 2026.
    with time_machine.travel(datetime(2026, 12, 31, 22, 30, tzinfo=UTC), tick=False):
        first = submit_enquiry(**service_values(), lang="nb", source="site", nonce="a")
        second = submit_enquiry(
            **service_values(problem="x" * 30), lang="nb", source="site", nonce="b"
        )
    # 23:30 UTC is 00:30 on 1 January in Oslo: the 2027 sequence begins.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        third = submit_enquiry(
            **service_values(problem="y" * 30), lang="nb", source="site", nonce="c"
        )
    assert [first.reference, second.reference, third.reference] == [
        "SESAM-2026-0001",
        "SESAM-2026-0002",
        "SESAM-2027-0001",
    ]


def test_a_rolled_back_enquiry_gives_its_number_back(app):
    moment = datetime(2026, 5, 1, 12, tzinfo=UTC)
    allocate_reference(moment)
    db.session.rollback()
    assert allocate_reference(moment)[2] == "SESAM-2026-0001"
    db.session.rollback()


def _submit_in_thread(app, index: int, barrier: threading.Barrier, errors: list) -> None:
    try:
        with app.app_context():
            barrier.wait(timeout=30)
            submit_enquiry(
                **service_values(problem=f"Problem number {index} described in enough words."),
                lang="nb",
                source="site",
                nonce=f"nonce-{index}",
            )
            db.session.remove()
    except Exception as exc:  # reported by the test below
        errors.append(exc)


def _submit_concurrently(app, count: int) -> list[int]:
    """``count`` threads submit at once; returns the sequence numbers stored, sorted."""
    barrier = threading.Barrier(count)
    errors: list = []
    threads = [
        threading.Thread(target=_submit_in_thread, args=(app, i, barrier, errors))
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.remove()
    rows = db.session.execute(select(Enquiry.ref_seq, Enquiry.reference)).all()
    assert len({reference for _, reference in rows}) == len(rows)
    return sorted(seq for seq, _ in rows)


def test_concurrent_submissions_get_distinct_consecutive_references(app):
    """Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (the CI runs both)."""
    assert _submit_concurrently(app, THREADS) == list(range(1, THREADS + 1))


@pytest.mark.postgres
def test_concurrent_submissions_on_postgresql_queue_on_the_counter_row(app):
    """PostgreSQL only: the same proof with more threads than the connection pool holds."""
    assert _submit_concurrently(app, 24) == list(range(1, 25))
