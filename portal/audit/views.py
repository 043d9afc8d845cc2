"""The admins' audit viewer: ``/inbox/admin/audit`` (filters, keyset pages) and its CSV."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.accounts.access import admin_required
from portal.accounts.models import StaffUser
from portal.audit import queries, trail
from portal.audit.forms import AuditFilterForm
from portal.extensions import db
from portal.inbox.export import BOM, DELIMITER, safe_cell
from portal.timestamps import NORWAY, utcnow
from portal.web.areas import STAFF_PREFIX
from portal.web.errors import render_error

bp = Blueprint("audit", __name__, url_prefix=STAFF_PREFIX + "/admin/audit")


def _people() -> list[tuple[int, str]]:
    rows = db.session.execute(select(StaffUser.id, StaffUser.name).order_by(StaffUser.name))
    return [(row.id, row.name) for row in rows]


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args, _people())
    form.validate()
    return form


@bp.get("/")
@admin_required
def index():
    """Every audited act, newest first; a bad filter or cursor answers 400 with the form."""
    form = _form()
    after = request.args.get("after")
    try:
        cursor = queries.parse_cursor(after) if after else None
    except queries.BadCursor:
        return render_error(400)
    status = 400 if form.errors else 200
    entries, more = ([], False) if form.errors else queries.page(form.filters(), cursor)
    args = {key: value for key, value in request.args.items() if key != "after"}
    next_args = {**args, "after": queries.cursor_of(entries[-1])} if more else None
    page = render_template(
        "audit/index.html", form=form, entries=entries, next_args=next_args, args=args
    )
    return page, status


COLUMNS = (_l("Time"), _l("Person"), _l("Kind of act"), _l("Concerns"), _l("Detail"))


@bp.get("/audit.csv")
@admin_required
def export_csv():
    """The filtered trail as CSV; exporting it is itself audited."""
    form = _form()
    if form.errors:
        return render_error(400)
    filters = form.filters()
    trail.record("export.audit", actor_id=current_user.id)
    db.session.commit()
    response = Response(stream_with_context(_rows(filters)), mimetype="text/csv")
    name = f"sesam-audit-{utcnow().astimezone(NORWAY).date().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _rows(filters: queries.AuditFilters):
    """The BOM and header, then the entries 500 at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_cell(str(text)) for text in COLUMNS])
    yield BOM + _drain(buffer)
    for number, entry in enumerate(queries.every(filters), start=1):
        when = entry.created_at.astimezone(NORWAY).isoformat(timespec="seconds")
        who = entry.actor.email if entry.actor else ""
        cells = (when, who, entry.kind, entry.target, entry.detail)
        writer.writerow([safe_cell(cell) for cell in cells])
        if number % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
