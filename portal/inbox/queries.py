"""Read side of the inbox list: filters, sort orders, keyset pages, status counts, staff choices.

Every sort order is a short list of *partitions*, each read along a composite index
``(column, id)`` and limited: "priority" reads the high, normal and low partitions in turn, and
"due" reads the dated enquiries before the undated ones. A page therefore never sorts or counts
the whole table, and later pages cost what the first one does (keyset, not OFFSET).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import ColumnElement, Row, Select, func, literal, select, text, true, tuple_

from portal.accounts.models import StaffUser
from portal.extensions import cache, db
from portal.inbox.due import end_of_day, overdue_condition, start_of_day, today
from portal.inbox.filters import extra_conditions
from portal.inbox.keyset import Cursor, Partition, partitions
from portal.inbox.models import EnquiryTag
from portal.inbox.search import restrict, search_terms
from portal.intake.models import OPEN_STATUSES, STATUSES, Enquiry
from portal.web.caching import FILTERED_COUNTS, STATUS_COUNTS

PAGE_SIZE = 25
# What a list row shows and the keyset needs: the rest of an enquiry stays in the database.
ROW_COLUMNS = (
    Enquiry.id,
    Enquiry.reference,
    Enquiry.name,
    Enquiry.organisation,
    Enquiry.organisation_type,
    Enquiry.enquiry_type,
    Enquiry.problem,
    Enquiry.status,
    Enquiry.priority,
    Enquiry.assignee_id,
    Enquiry.created_at,
    Enquiry.updated_at,
    Enquiry.first_response_due,
    Enquiry.first_responded_at,
    Enquiry.waiting_since,
    Enquiry.follow_up_on,
)
ASSIGNEE_NAME = StaffUser.name.label("assignee_name")
TAG_SEPARATOR = ","  # never inside a tag (services.normalise_tag)
COUNT_CAP = 1000
STATUS_FILTERS = ("open", *STATUSES)


@dataclass(frozen=True)
class Filters:
    """What the list shows: every field optional; ``status=None`` means everything but spam."""

    status: str | None = None
    enquiry_type: str | None = None
    organisation_type: str | None = None
    region: str | None = None
    assignee: str | None = None  # "me", "none" or a staff id as text; None = anyone
    tag: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "received"
    order: str = "desc"
    # The filters features added (portal.inbox.filters), as (name, value) pairs that are on.
    extra: tuple[tuple[str, str], ...] = ()

    def to_args(self) -> dict[str, str]:
        """The filters as query-string arguments (defaults left out), for links and views."""
        args = {}
        for name in (
            "q",
            "status",
            "enquiry_type",
            "organisation_type",
            "region",
            "assignee",
            "tag",
        ):
            if getattr(self, name):
                args[name] = getattr(self, name)
        for name in ("received_from", "received_to"):
            if getattr(self, name):
                args[name] = getattr(self, name).isoformat()
        if self.overdue:
            args["overdue"] = "y"
        if self.sort != "received":
            args["sort"] = self.sort
        if self.order != "desc":
            args["order"] = self.order
        args.update(self.extra)
        return args


@dataclass
class Page:
    """One page of the list and the cursors to its neighbours."""

    rows: list[Row]  # ROW_COLUMNS and ``assignee_name``, read as plain rows (no ORM objects)
    tags: dict[int, list[str]] = field(default_factory=dict)
    next_cursor: str | None = None
    prev_cursor: str | None = None


def conditions(filters: Filters, viewer_id: int | None) -> list[ColumnElement]:
    """The WHERE clauses for ``filters`` except free text (``viewer_id`` resolves "me")."""
    where: list[ColumnElement] = [_status_condition(filters.status)]
    for name in ("enquiry_type", "organisation_type", "region"):
        value = getattr(filters, name)
        if value:
            where.append(getattr(Enquiry, name) == value)
    if filters.assignee == "me":
        where.append(Enquiry.assignee_id == viewer_id)
    elif filters.assignee == "none":
        where.append(Enquiry.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isdigit():
        where.append(Enquiry.assignee_id == int(filters.assignee))
    if filters.tag:
        tagged = select(EnquiryTag.enquiry_id).where(EnquiryTag.tag == filters.tag)
        where.append(Enquiry.id.in_(tagged))
    if filters.received_from:
        where.append(Enquiry.created_at >= start_of_day(filters.received_from))
    if filters.received_to:
        where.append(Enquiry.created_at < end_of_day(filters.received_to))
    if filters.overdue:
        where.append(overdue_condition(today()))
    where.extend(extra_conditions(filters.extra, viewer_id))
    return where


def _status_condition(status: str | None) -> ColumnElement[bool]:
    if status == "open":
        return Enquiry.status.in_(OPEN_STATUSES)
    if status in STATUSES:
        return Enquiry.status == status
    if status == "all":
        return true()
    return Enquiry.status != "spam"


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def enquiry_page(
    filters: Filters,
    viewer_id: int | None,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """The page after cursor ``after`` (or before ``before``; the first page without either).

    A cursor that does not parse, or belongs to another sort order, gives the first page.
    """
    date_range = bool(filters.received_from or filters.received_to)
    parts = partitions(filters.sort, filters.order, date_range)
    backwards = before is not None and after is None
    cursor = Cursor.parse(before if backwards else after, parts)
    backwards = backwards and cursor is not None
    rows = _read(_Query(filters, viewer_id, _dialect()), parts, cursor, size + 1, backwards)
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    tags = {row.id: sorted(row.tags.split(TAG_SEPARATOR)) for row in rows if row.tags}
    page = Page(rows=rows, tags=tags)
    if rows:
        first, last = _key(parts, rows[0]), _key(parts, rows[-1])
        has_next = more if not backwards else True
        has_prev = (cursor is not None) if not backwards else more
        page.next_cursor = last if has_next else None
        page.prev_cursor = first if has_prev else None
    return page


@dataclass(frozen=True)
class _Query:
    """What a list page reads, apart from where it starts."""

    filters: Filters
    viewer_id: int | None
    dialect: str


def _read(
    query: _Query, parts: list[Partition], cursor: Cursor | None, limit: int, backwards: bool
) -> list[Row]:
    """Read partitions in order (reversed when paging backwards) until ``limit`` rows."""
    order = list(enumerate(parts))
    if backwards:
        order.reverse()
    rows: list[Row] = []
    for index, part in order:
        if cursor is not None and (index < cursor.part if not backwards else index > cursor.part):
            continue
        stmt = _statement(query, part, cursor, limit - len(rows), backwards, index)
        rows.extend(db.session.execute(stmt).all())
        if len(rows) >= limit:
            break
    return rows


def _statement(
    query: _Query, part: Partition, cursor: Cursor | None, limit: int, backwards: bool, index: int
) -> Select:
    """The rows of partition ``part`` (number ``index``) after ``cursor``, at most ``limit``."""
    stmt = select(*ROW_COLUMNS, ASSIGNEE_NAME, _tags_column(query.dialect))
    stmt = stmt.where(*conditions(query.filters, query.viewer_id), *part.where)
    terms = search_terms(query.filters.q)
    stmt, row_id = restrict(stmt, terms, query.dialect, by_id=part.column is None)
    stmt = stmt.outerjoin(StaffUser, StaffUser.id == Enquiry.assignee_id)
    key = row_id if part.column is None else tuple_(part.column, row_id)
    descending = part.descending != backwards
    if cursor is not None and index == cursor.part:
        bound = (
            literal(cursor.id)
            if part.column is None
            else tuple_(literal(cursor.value, part.column.type), literal(cursor.id))
        )
        stmt = stmt.where(key < bound if descending else key > bound)
    ordering = [row_id] if part.column is None else [part.column, row_id]
    stmt = stmt.order_by(*(c.desc() if descending else c.asc() for c in ordering))
    return stmt.limit(limit)


def _key(parts: list[Partition], row: Row) -> str:
    for index, part in enumerate(parts):
        if part.holds(row):
            value = None if part.column is None else getattr(row, part.column.key)
            return Cursor(index, value, row.id).encode()
    raise LookupError(f"enquiry {row.id} fits no partition")


def _tags_column(dialect: str) -> ColumnElement[str | None]:
    """Each row's tags joined by TAG_SEPARATOR (None without tags): read with the row, one
    index probe per row on the page, instead of another round trip to the database."""
    joined = (
        func.string_agg(EnquiryTag.tag, literal(TAG_SEPARATOR))
        if dialect == "postgresql"
        else func.group_concat(EnquiryTag.tag, TAG_SEPARATOR)
    )
    return (
        select(joined)
        .where(EnquiryTag.enquiry_id == Enquiry.id)
        .correlate(Enquiry)
        .scalar_subquery()
        .label("tags")
    )


def matching(filters: Filters, viewer_id: int | None) -> Select:
    """Every enquiry matching ``filters`` in list order (CSV export streams this)."""
    stmt = select(Enquiry).where(*conditions(filters, viewer_id))
    stmt, row_id = restrict(stmt, search_terms(filters.q), _dialect(), by_id=True)
    return stmt.order_by(row_id.desc())


def status_counts(filters: Filters | None = None, viewer_id: int | None = None) -> dict[str, int]:
    """How many enquiries have each status, and how many are overdue, each capped at
    COUNT_CAP + 1, among those ``filters`` lets through apart from their status (the tabs are
    the statuses). Cached: over every enquiry in one entry, under a filter in one entry per
    filter and viewer, which every tab and sort order of that filter shares."""
    if filters is None or not narrows(filters):
        return _all_counts()
    tabs_left_out = replace(filters, status=None, overdue=False, sort="received", order="desc")
    return _filtered_counts(tabs_left_out, viewer_id)


def forget_counts() -> None:
    """Drop every cached count (a change to an enquiry may move it between tabs)."""
    cache.delete(STATUS_COUNTS.key)
    cache.delete_memoized(_filtered_counts)


def narrows(filters: Filters) -> bool:
    """True when ``filters`` holds something beyond a status, an order and "overdue" (which
    are the tabs themselves)."""
    plain = Filters(status=filters.status, overdue=filters.overdue)
    return replace(filters, sort="received", order="desc") != plain


def _count_groups() -> dict[str, ColumnElement[bool]]:
    groups = {status: Enquiry.status == status for status in STATUSES}
    groups["overdue"] = overdue_condition(today())
    return groups


def _capped_counts(where: list[ColumnElement[bool]], terms: list[str]) -> Select:
    """One statement: for each tab, how many enquiries ``where`` and the search ``terms`` let
    through, each a scan that stops at COUNT_CAP + 1 rows."""
    columns = []
    for name, condition in _count_groups().items():
        stmt = select(literal(1)).select_from(Enquiry).where(condition, *where)
        stmt, _ = restrict(stmt, terms, _dialect(), by_id=False)
        capped = stmt.limit(COUNT_CAP + 1).subquery()
        columns.append(select(func.count()).select_from(capped).scalar_subquery().label(name))
    return select(*columns)


@cache.memoize(timeout=FILTERED_COUNTS.seconds, make_name=lambda _name: FILTERED_COUNTS.key)
def _filtered_counts(filters: Filters, viewer_id: int | None) -> dict[str, int]:
    """The counts among the enquiries ``filters`` lets through: a tab with many matches stops
    at the cap, but a rare one reads the filter's matches through; cached
    (``portal.web.caching.FILTERED_COUNTS``)."""
    where = conditions(replace(filters, status="all"), viewer_id)
    stmt = _capped_counts(where, search_terms(filters.q))
    return dict(db.session.execute(stmt).one()._mapping)


@cache.cached(timeout=STATUS_COUNTS.seconds, key_prefix=STATUS_COUNTS.key)
def _all_counts() -> dict[str, int]:
    """The counts over every enquiry: capped index scans, so their cost does not grow with the
    table; cached (``portal.web.caching.STATUS_COUNTS``)."""
    # Its values (our own statuses, the cap, today's date) are written into the SQL: as bound
    # parameters of a statement psycopg prepares, PostgreSQL may settle on a generic plan that
    # cannot tell "new" (few rows) from "closed" (many) and scans far more.
    stmt = _capped_counts([], [])
    sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    return dict(db.session.execute(text(str(sql))).one()._mapping)


def staff_choices() -> list[StaffUser]:
    """Active staff, by name: who can be assigned and filtered on."""
    stmt = select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.name)
    return list(db.session.scalars(stmt))
