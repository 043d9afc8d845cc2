"""Each staff member's own saved list views (a name and the list's query string)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.inbox.models import VIEW_NAME_MAX_LENGTH, SavedView
from portal.inbox.services import InvalidChange

MAX_VIEWS = 20
# Only list parameters are kept: never a cursor, a CSRF token or anything unexpected.
KEPT = (
    "status",
    "enquiry_type",
    "organisation_type",
    "region",
    "assignee",
    "tag",
    "received_from",
    "received_to",
    "overdue",
    "q",
    "sort",
    "order",
)


def clean_query(query: str) -> str:
    """``query`` with only the list's own parameters, non-empty, in a stable order."""
    pairs = [(key, value) for key, value in parse_qsl(query) if key in KEPT and value]
    return urlencode(sorted(pairs, key=lambda pair: KEPT.index(pair[0])))[:1000]


def views_of(staff_user_id: int) -> list[SavedView]:
    """The staff member's own views, by name."""
    stmt = select(SavedView).where(SavedView.staff_user_id == staff_user_id)
    return list(db.session.scalars(stmt.order_by(SavedView.name)))


def save_view(staff_user_id: int, name: str, query: str) -> SavedView:
    """Save the list's current filters under ``name`` (replacing a view of that name)."""
    name = " ".join(name.split())
    if not name or len(name) > VIEW_NAME_MAX_LENGTH:
        raise InvalidChange(f"a view needs a name of 1 to {VIEW_NAME_MAX_LENGTH} characters")
    existing = db.session.scalar(
        select(SavedView).where(SavedView.staff_user_id == staff_user_id, SavedView.name == name)
    )
    if existing is None and len(views_of(staff_user_id)) >= MAX_VIEWS:
        raise InvalidChange(f"at most {MAX_VIEWS} saved views")
    view = existing or SavedView(staff_user_id=staff_user_id, name=name)
    view.query = clean_query(query)
    db.session.add(view)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same name saved twice at once
        db.session.rollback()
        raise InvalidChange("a view with that name exists") from exc
    return view


def delete_view(staff_user_id: int, view_id: int) -> None:
    """Delete one of the staff member's own views; LookupError for anyone else's or none."""
    view = db.session.get(SavedView, view_id)
    if view is None or view.staff_user_id != staff_user_id:
        raise LookupError(view_id)
    db.session.delete(view)
    db.session.commit()
