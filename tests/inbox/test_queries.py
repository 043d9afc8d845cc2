"""The list's read side on the test database (SQLite, and PostgreSQL in CI): the same answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.inbox import queries
from portal.inbox.due import today
from portal.inbox.keyset import Cursor, partitions
from portal.inbox.models import EnquiryTag
from portal.inbox.queries import Filters, enquiry_page, status_counts
from portal.intake.models import Enquiry
from portal.timestamps import utcnow
from tests.factories import make_enquiry, make_staff


def refs(page) -> list[str]:
    return [enquiry.reference for enquiry in page.rows]


def all_pages(filters: Filters, viewer_id=None, size=2) -> list[str]:
    """Every reference, following ``next`` cursors from the first page."""
    seen, after = [], None
    for _ in range(100):
        page = enquiry_page(filters, viewer_id, after=after, size=size)
        seen.extend(refs(page))
        if not page.next_cursor:
            return seen
        after = page.next_cursor
    raise AssertionError("paging did not end")


def test_the_list_shows_everything_but_spam_newest_first(app):
    first = make_enquiry()
    make_enquiry(status="spam")
    third = make_enquiry(status="closed")
    assert refs(enquiry_page(Filters(), None)) == [third.reference, first.reference]


@pytest.mark.parametrize(
    ("field", "wanted", "other"),
    [
        ("status", "triaged", "new"),
        ("enquiry_type", "talk", "media"),
        ("organisation_type", "ngo", "business"),
        ("region", "finnmark", "oslo"),
    ],
)
def test_each_coded_filter_keeps_only_its_value(app, field, wanted, other):
    match = make_enquiry(**{field: wanted})
    make_enquiry(**{field: other})
    assert refs(enquiry_page(Filters(**{field: wanted}), None)) == [match.reference]


def test_status_open_means_new_triaged_and_in_dialogue(app):
    kept = [make_enquiry(status=status) for status in ("new", "triaged", "in_dialogue")]
    for status in ("agreed", "declined", "closed", "spam"):
        make_enquiry(status=status)
    found = refs(enquiry_page(Filters(status="open"), None))
    assert found == [enquiry.reference for enquiry in reversed(kept)]


def test_the_spam_filter_shows_spam(app):
    spam = make_enquiry(status="spam")
    make_enquiry()
    assert refs(enquiry_page(Filters(status="spam"), None)) == [spam.reference]


def test_assignee_me_nobody_and_a_person(app):
    me, colleague = make_staff(), make_staff()
    mine = make_enquiry(assignee_id=me.id)
    theirs = make_enquiry(assignee_id=colleague.id)
    nobodys = make_enquiry()
    assert refs(enquiry_page(Filters(assignee="me"), me.id)) == [mine.reference]
    assert refs(enquiry_page(Filters(assignee="none"), me.id)) == [nobodys.reference]
    assert refs(enquiry_page(Filters(assignee=str(colleague.id)), me.id)) == [theirs.reference]
    assert len(enquiry_page(Filters(), me.id).rows) == 3


def test_tag_filter(app):
    tagged, _plain = make_enquiry(), make_enquiry()
    db.session.add(EnquiryTag(enquiry_id=tagged.id, tag="ungdom"))
    db.session.commit()
    assert refs(enquiry_page(Filters(tag="ungdom"), None)) == [tagged.reference]
    assert refs(enquiry_page(Filters(tag="eldre"), None)) == []


def test_received_dates_are_norwegian_calendar_days(app):
    # 23:30 UTC on 1 March is already 2 March in Norway (UTC+1 in winter).
    late = make_enquiry(created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    early = make_enquiry(created_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC))
    march_2 = Filters(received_from=date(2026, 3, 2), received_to=date(2026, 3, 2))
    assert refs(enquiry_page(march_2, None)) == [late.reference]
    march_1 = Filters(received_from=date(2026, 3, 1), received_to=date(2026, 3, 1))
    assert refs(enquiry_page(march_1, None)) == [early.reference]
    assert refs(enquiry_page(Filters(received_to=date(2026, 3, 1)), None)) == [early.reference]


def test_a_kept_first_page_statement_reads_fresh_rows_for_each_viewer(app):
    me, colleague = make_staff(), make_staff()
    first = make_enquiry(assignee_id=me.id)
    assert refs(enquiry_page(Filters(assignee="me"), me.id)) == [first.reference]
    assert refs(enquiry_page(Filters(assignee="me"), colleague.id)) == []
    second = make_enquiry(assignee_id=me.id)  # arrives after the statement was kept
    assert refs(enquiry_page(Filters(assignee="me"), me.id)) == [
        second.reference,
        first.reference,
    ]
    assert refs(enquiry_page(Filters(assignee="me"), colleague.id)) == []


def test_a_kept_overdue_page_moves_on_with_the_date(app, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False)
    due = make_enquiry(first_response_due=date(2026, 3, 3))
    assert refs(enquiry_page(Filters(overdue=True), None)) == []
    time_machine.move_to(datetime(2026, 3, 5, 10, 0, tzinfo=UTC), tick=False)
    assert refs(enquiry_page(Filters(overdue=True), None)) == [due.reference]


def test_overdue_means_waiting_for_a_first_reply_past_the_due_date(app):
    yesterday = today() - timedelta(days=1)
    overdue = make_enquiry(first_response_due=yesterday)
    make_enquiry(first_response_due=today())  # due today: not yet overdue
    make_enquiry(first_response_due=yesterday, first_responded_at=utcnow())  # answered
    make_enquiry(first_response_due=yesterday, status="closed")  # no longer waiting
    make_enquiry(first_response_due=yesterday, status="spam")
    assert refs(enquiry_page(Filters(overdue=True), None)) == [overdue.reference]


def test_filters_combine(app):
    match = make_enquiry(status="triaged", enquiry_type="talk", region="oslo")
    make_enquiry(status="triaged", enquiry_type="talk", region="agder")
    make_enquiry(status="new", enquiry_type="talk", region="oslo")
    filters = Filters(status="triaged", enquiry_type="talk", region="oslo")
    assert refs(enquiry_page(filters, None)) == [match.reference]


# --------------------------------------------------------------------------- sorting and paging


def test_received_ascending_is_oldest_first(app):
    made = [make_enquiry() for _ in range(3)]
    assert refs(enquiry_page(Filters(order="asc"), None)) == [e.reference for e in made]


def test_last_change_sort(app):
    a, b, c = make_enquiry(), make_enquiry(), make_enquiry()
    now = utcnow()
    for enquiry, minutes in ((a, 1), (b, 3), (c, 2)):
        enquiry.updated_at = now - timedelta(minutes=minutes)
    db.session.commit()
    assert refs(enquiry_page(Filters(sort="updated"), None)) == [
        a.reference,
        c.reference,
        b.reference,
    ]
    ascending = enquiry_page(Filters(sort="updated", order="asc"), None)
    assert refs(ascending) == [b.reference, c.reference, a.reference]


def test_priority_sort_puts_high_first_then_newest(app):
    low = make_enquiry(priority="low")
    high_old = make_enquiry(priority="high")
    normal = make_enquiry(priority="normal")
    high_new = make_enquiry(priority="high")
    expected = [high_new, high_old, normal, low]
    assert refs(enquiry_page(Filters(sort="priority"), None)) == [e.reference for e in expected]
    assert all_pages(Filters(sort="priority"), size=1) == [e.reference for e in expected]
    ascending = [low, normal, high_old, high_new]
    assert all_pages(Filters(sort="priority", order="asc"), size=3) == [
        e.reference for e in ascending
    ]


def test_due_sort_puts_enquiries_without_a_due_date_last(app):
    undated = make_enquiry(first_response_due=None)
    later = make_enquiry(first_response_due=date(2026, 5, 10))
    sooner = make_enquiry(first_response_due=date(2026, 5, 4))
    expected = [sooner, later, undated]
    assert all_pages(Filters(sort="due", order="asc"), size=1) == [e.reference for e in expected]
    descending = [later, sooner, undated]
    assert all_pages(Filters(sort="due"), size=2) == [e.reference for e in descending]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(order="asc"),
        Filters(sort="updated"),
        Filters(sort="priority"),
        Filters(sort="due", order="asc"),
        Filters(received_from=date(2000, 1, 1)),
        Filters(q="oppfølging"),
    ],
    ids=["received", "received-asc", "updated", "priority", "due", "date-range", "search"],
)
def test_paging_forwards_and_back_visits_every_row_once(app, filters):
    priorities = ("low", "normal", "high")
    for number in range(7):
        make_enquiry(
            priority=priorities[number % 3],
            first_response_due=None if number == 3 else date(2026, 5, 1 + number % 4),
        )
    first = enquiry_page(filters, None, size=3)
    assert first.prev_cursor is None
    forward = all_pages(filters, size=3)
    assert sorted(forward) == sorted(db.session.scalars(select(Enquiry.reference)))
    assert len(forward) == len(set(forward)) == 7
    # From the last page back to the first, page by page, the same rows in the same order.
    after, pages = None, []
    while True:
        page = enquiry_page(filters, None, after=after, size=3)
        pages.append(page)
        if not page.next_cursor:
            break
        after = page.next_cursor
    back = [refs(pages[-1])]
    before = pages[-1].prev_cursor
    while before:
        page = enquiry_page(filters, None, before=before, size=3)
        back.insert(0, refs(page))
        before = page.prev_cursor
    assert [ref for chunk in back for ref in chunk] == forward


@pytest.mark.parametrize(
    "cursor", ["", "x", "1-2", "0-abc-3", "9-1-1", "0-99999999999999999999-1", "-1-2-3", "0--1-1"]
)
def test_a_malformed_cursor_gives_the_first_page(app, cursor):
    made = [make_enquiry() for _ in range(3)]
    page = enquiry_page(Filters(), None, after=cursor, size=2)
    assert refs(page) == [made[2].reference, made[1].reference]
    assert refs(enquiry_page(Filters(), None, before=cursor, size=2)) == refs(page)


def test_a_cursor_round_trips():
    parts = partitions("due", "asc")
    cursor = Cursor(0, date(2026, 5, 4), 17)
    assert Cursor.parse(cursor.encode(), parts) == cursor
    moment = datetime(2026, 5, 4, 12, 30, 15, 123456, tzinfo=UTC)
    updated = Cursor(0, moment, 3)
    assert Cursor.parse(updated.encode(), partitions("updated", "desc")) == updated
    assert Cursor.parse("1-0-5", parts) == Cursor(1, None, 5)


# --------------------------------------------------------------------------- full-text search


def test_search_finds_words_in_every_searched_field(app):
    by_name = make_enquiry(name="Solveig Bråten")
    by_org = make_enquiry(organisation="Frivilligsentralen Notodden")
    by_problem = make_enquiry(problem="Ensomhet blant eldre som bor alene på bygda.")
    by_message = make_enquiry(message="Vi har allerede snakket med rådmannen.")
    by_email = make_enquiry(email="post@ringerike.kommune.no")
    for q, enquiry in [
        ("bråten", by_name),
        ("notodden", by_org),
        ("ensomhet", by_problem),
        ("rådmannen", by_message),
        ("ringerike", by_email),
        ("post@ringerike.kommune.no", by_email),
    ]:
        assert refs(enquiry_page(Filters(q=q), None)) == [enquiry.reference], q


def test_search_matches_word_prefixes_case_insensitively(app):
    match = make_enquiry(problem="Kommunene i regionen samarbeider for lite om Ungdom.")
    make_enquiry(problem="Helt andre ord her, ingenting som passer søket.", organisation="Lag")
    assert refs(enquiry_page(Filters(q="kommun"), None)) == [match.reference]
    assert refs(enquiry_page(Filters(q="UNGDOM"), None)) == [match.reference]
    assert refs(enquiry_page(Filters(q="mune"), None)) == []  # a prefix, not a substring


def test_search_needs_every_word(app):
    both = make_enquiry(problem="Eldre i bygda opplever ensomhet og lite transport.")
    make_enquiry(problem="Eldre i byen har gode tilbud om transport.")
    assert refs(enquiry_page(Filters(q="eldre ensomhet"), None)) == [both.reference]


def test_search_keeps_norwegian_letters_apart(app):
    aa = make_enquiry(organisation="Ålesund kommune")
    assert refs(enquiry_page(Filters(q="ålesund"), None)) == [aa.reference]
    assert refs(enquiry_page(Filters(q="alesund"), None)) == []


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "kommune OR 1=1",
        "*",
        "kommune*",
        "NEAR(a b)",
        "a:b",
        "-kommune",
        "(",
        "&|!",
        "\\",
        "'; DROP TABLE enquiry; --",
        "col:kommune",
        "^kommune",
    ],
)
def test_search_syntax_in_a_query_is_only_text(app, q):
    make_enquiry(problem="Kommunen trenger hjelp.")
    page = enquiry_page(Filters(q=q), None)  # never an error
    assert all(row.reference.startswith("SESAM-") for row in page.rows)
    assert db.session.scalar(select(func.count()).select_from(Enquiry)) == 1  # nothing dropped


def test_the_search_index_follows_changes_and_deletions(app):
    enquiry = make_enquiry(problem="Opprinnelig tekst om skolen.")
    enquiry.problem = "Ny tekst om barnehagen."
    db.session.commit()
    assert refs(enquiry_page(Filters(q="barnehagen"), None)) == [enquiry.reference]
    assert refs(enquiry_page(Filters(q="skolen"), None)) == []
    db.session.delete(enquiry)
    db.session.commit()
    assert refs(enquiry_page(Filters(q="barnehagen"), None)) == []


def test_search_combines_with_filters_and_excludes_spam(app):
    wanted = make_enquiry(problem="Bolig for unge.", status="triaged")
    make_enquiry(problem="Bolig for eldre.", status="new")
    make_enquiry(problem="Bolig som spam.", status="spam")
    assert refs(enquiry_page(Filters(q="bolig", status="triaged"), None)) == [wanted.reference]
    assert len(enquiry_page(Filters(q="bolig"), None).rows) == 2


def test_a_query_without_words_is_no_search(app):
    made = [make_enquiry() for _ in range(2)]
    assert len(enquiry_page(Filters(q=" -- !!! "), None).rows) == len(made)
    assert len(enquiry_page(Filters(q="a b"), None).rows) == len(made)  # single letters


def test_long_and_short_prefixes_find_the_same_word(app):
    match = make_enquiry(problem="Samskapingsprosessen i kommunene tar tid.")
    make_enquiry(problem="Helt andre ord.", organisation="Lag")
    for q in ("sa", "samskap", "samskaping", "samskapingsprosess", "samskapingsprosessen"):
        assert refs(enquiry_page(Filters(q=q), None)) == [match.reference], q
    assert refs(enquiry_page(Filters(q="samskapingsprosessene"), None)) == []


# --------------------------------------------------------------------------- counts


def test_status_counts_are_capped(app, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    for _ in range(4):
        make_enquiry(status="new")
    make_enquiry(status="closed")
    make_enquiry(status="triaged", first_response_due=today() - timedelta(days=2))
    counts = status_counts()
    assert counts["new"] == 3  # the cap plus one: shown as "2+"
    assert counts["closed"] == 1
    assert counts["spam"] == 0
    assert counts["overdue"] == 3


def test_filters_round_trip_through_query_arguments():
    filters = Filters(
        status="open",
        q="kommune",
        overdue=True,
        sort="due",
        order="asc",
        received_from=date(2026, 1, 2),
        assignee="me",
        tag="ungdom",
    )
    args = filters.to_args()
    assert args == {
        "q": "kommune",
        "status": "open",
        "assignee": "me",
        "tag": "ungdom",
        "received_from": "2026-01-02",
        "overdue": "y",
        "sort": "due",
        "order": "asc",
    }
    assert Filters().to_args() == {}


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("received", "desc"),
        ("updated", "desc"),
        ("priority", "desc"),
        ("due", "asc"),
        ("received", "asc"),
    ],
)
def test_search_works_under_every_sort(app, sort, order):
    wanted = [
        make_enquiry(problem=f"Bolig nummer {n}.", priority=("low", "high")[n % 2])
        for n in range(5)
    ]
    make_enquiry(problem="Noe helt annet.", organisation="Lag")
    found = all_pages(Filters(q="bolig", sort=sort, order=order), size=2)
    assert sorted(found) == sorted(e.reference for e in wanted)
    dated = all_pages(Filters(q="bolig", sort=sort, order=order, received_from=date(2000, 1, 1)))
    assert sorted(dated) == sorted(found)
