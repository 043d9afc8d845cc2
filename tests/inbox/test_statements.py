"""No N+1: the number of SQL statements per page does not grow with the rows on it."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db
from portal.inbox import replies, services
from tests.factories import make_enquiry, make_staff


@contextmanager
def counting():
    """Count the statements sent to the database inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def statements(client, path: str) -> int:
    """Statements for one request, starting as a real request does: an empty session."""
    db.session.remove()
    with counting() as seen:
        response = client.get(path)
        response.get_data()
        response.close()
    assert response.status_code == 200
    return len(seen)


def fill(count: int, staff_ids: list[int]) -> list[int]:
    ids = []
    for number in range(count):
        enquiry = make_enquiry(assignee_id=staff_ids[number % len(staff_ids)])
        services.set_tags(enquiry.id, ["ungdom", f"tag {number % 5}"], staff_ids[0])
        ids.append(enquiry.id)
    return ids


def test_the_list_page_costs_the_same_for_5_and_50_rows(client, staff):
    people = [staff.id, make_staff().id, make_staff().id]  # ids: the session is reset
    fill(5, people)
    few = statements(client, "/inbox/")
    fill(45, people)
    many = statements(client, "/inbox/")
    assert few == many
    assert few <= 6  # user, staff list, page (its tags included), counts, saved views


def test_a_search_page_costs_the_same_for_5_and_50_rows(client, staff):
    people = [staff.id]
    fill(5, people)
    few = statements(client, "/inbox/?q=oppfølging")
    by_priority = statements(client, "/inbox/?q=oppfølging&sort=priority")
    fill(45, people)
    assert statements(client, "/inbox/?q=oppfølging") == few
    # The priority order reads up to three partitions (high, normal, low), never one per row.
    assert statements(client, "/inbox/?q=oppfølging&sort=priority") <= by_priority <= few + 2


def test_the_detail_page_costs_the_same_for_a_short_and_a_long_timeline(client, staff):
    colleague = make_staff()
    staff_id, colleague_id = staff.id, colleague.id
    enquiry_id = make_enquiry().id
    services.add_note(enquiry_id, "Første notat.", staff_id)
    few = statements(client, f"/inbox/enquiries/{enquiry_id}")
    for number in range(15):
        services.add_note(enquiry_id, f"Notat {number}", colleague_id)
        services.assign(enquiry_id, colleague_id if number % 2 else staff_id, staff_id)
        replies.reply(enquiry_id, f"Svar {number}", colleague_id)
    assert statements(client, f"/inbox/enquiries/{enquiry_id}") == few


def test_the_export_costs_the_same_for_5_and_50_rows(client, staff):
    people = [staff.id, make_staff().id]
    fill(5, people)
    few = statements(client, "/inbox/export.csv")
    fill(45, people)
    assert statements(client, "/inbox/export.csv") == few
