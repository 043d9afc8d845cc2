"""The enquiry list under ``/inbox/``: filters, pages, bulk actions, saved views and CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, flash, request, session, stream_with_context, url_for
from flask_login import current_user

from portal.accounts.access import safe_next, staff_required
from portal.accounts.queries import staff_directory
from portal.inbox import export, queries, saved_views, services
from portal.inbox.due import today
from portal.inbox.filter_panel import filter_panel
from portal.inbox.forms import BulkForm, SaveViewForm
from portal.inbox.timeline import EnquiryNotFound
from portal.web.areas import STAFF_PREFIX
from portal.web.errors import render_error
from portal.web.fragments import rendered
from portal.web.htmx import render_page_or_fragment, see_other
from portal.web.i18n import gettext as _
from portal.web.i18n import ngettext

bp = Blueprint("inbox", __name__, url_prefix=STAFF_PREFIX)
VIEWS_VERSION = "views_version"  # in the staff session: moves on with each change to their views


def _views_changed() -> None:
    session[VIEWS_VERSION] = session.get(VIEWS_VERSION, 0) + 1


@bp.errorhandler(EnquiryNotFound)
def _not_found(error):
    return render_error(404)


@bp.errorhandler(services.InvalidChange)
def _invalid_change(error):
    return render_error(400)


def _filters():
    staff = staff_directory()
    return filter_panel(request.args, staff), staff


@bp.get("/")
@staff_required
def index():
    """The enquiry list: filters in the query string, keyset pages, counts per status."""
    panel, staff = _filters()
    filters = panel.filters
    page = queries.enquiry_page(
        filters, current_user.id, after=request.args.get("after"), before=request.args.get("before")
    )
    args = filters.to_args()
    counts = queries.status_counts()
    return render_page_or_fragment(
        "inbox/index.html",
        "inbox/_results.html",
        panel=panel,
        filters=filters,
        args=args,
        listing=page,
        status_tabs=rendered(
            "inbox/_status_tabs.html",
            (tuple(args.items()), tuple(counts.items())),
            lambda: {"args": args, "filters": filters, "counts": counts},
        ),
        bulk_controls=rendered(
            "inbox/_bulk.html",
            tuple((person.id, person.name) for person in staff),
            lambda: {"bulk": BulkForm(staff=staff, formdata=None)},
        ),
        return_to=request.full_path,
        save_view_name=rendered(
            "inbox/_save_view_name.html", None, lambda: {"save_form": SaveViewForm(formdata=None)}
        ),
        view_query=request.query_string.decode(),
        saved=saved_views.listed_views(
            current_user.id, (session.get("login_at"), session.get(VIEWS_VERSION, 0))
        ),
        today=today(),
    )


@bp.get("/export.csv")
@staff_required
def export_csv():
    """The filtered list as CSV (every matching enquiry, not just one page)."""
    panel, _staff = _filters()
    body = stream_with_context(export.rows(panel.filters, current_user.id))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    return response


@bp.post("/bulk")
@staff_required
def bulk():
    """Assign, set status, tag or mark as spam every selected enquiry."""
    form = BulkForm(staff=queries.staff_choices())
    back = safe_next(form.return_to.data) or url_for("inbox.index")
    if not form.validate_on_submit():
        flash(" ".join(str(error) for errors in form.errors.values() for error in errors), "error")
        return see_other(back)
    changed = services.bulk_update(form.ids.data, form.action.data, form.value(), current_user.id)
    flash(ngettext("%(num)s enquiry changed.", "%(num)s enquiries changed.", changed), "ok")
    return see_other(back)


@bp.post("/views")
@staff_required
def save_view():
    """Save the list's current filters as one of the user's own views."""
    form = SaveViewForm()
    if not form.validate_on_submit():
        flash(" ".join(str(error) for error in form.name.errors), "error")
        return see_other(url_for("inbox.index"))
    try:
        view = saved_views.save_view(current_user.id, form.name.data, form.query.data or "")
        _views_changed()
    except services.InvalidChange:
        flash(_("You have as many saved views as there is room for: delete one first."), "error")
        return see_other(url_for("inbox.index"))
    flash(_("The view “%(name)s” is saved.", name=view.name), "ok")
    return see_other(url_for("inbox.index") + ("?" + view.query if view.query else ""))


@bp.post("/views/<int:view_id>/delete")
@staff_required
def delete_view(view_id: int):
    """Delete one of the user's own saved views (someone else's is a 404)."""
    try:
        saved_views.delete_view(current_user.id, view_id)
        _views_changed()
    except LookupError:
        return render_error(404)
    flash(_("The view is deleted."), "ok")
    return see_other(url_for("inbox.index"))
