"""The enquiry list under ``/inbox/``: filters, pages, bulk actions, saved views and CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, flash, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts.access import safe_next, staff_required
from portal.accounts.queries import staff_directory
from portal.inbox import export, queries, saved_views, services
from portal.inbox.due import today
from portal.inbox.filters import added_filters, chips
from portal.inbox.forms import BulkForm, FilterForm, SaveViewForm
from portal.inbox.timeline import EnquiryNotFound
from portal.web.areas import STAFF_PREFIX
from portal.web.errors import render_error
from portal.web.htmx import render_page_or_fragment, see_other

bp = Blueprint("inbox", __name__, url_prefix=STAFF_PREFIX)


@bp.errorhandler(EnquiryNotFound)
def _not_found(error):
    return render_error(404)


@bp.errorhandler(services.InvalidChange)
def _invalid_change(error):
    return render_error(400)


def _filter_form(staff: list) -> FilterForm:
    return FilterForm(request.args, staff=staff)


@bp.get("/")
@staff_required
def index():
    """The enquiry list: filters in the query string, keyset pages, counts per status."""
    staff = staff_directory()
    form = _filter_form(staff)
    filters = form.filters()
    args = request.args
    shown = filters.to_args()
    return render_page_or_fragment(
        "inbox/index.html",
        "inbox/_results.html",
        form=form,
        filters=filters,
        args=shown,
        chips=chips(shown, form.words()),
        added_filters=added_filters(),
        listing=queries.enquiry_page(
            filters, current_user.id, after=args.get("after"), before=args.get("before")
        ),
        counts=queries.status_counts(filters, current_user.id),
        bulk=BulkForm(staff=staff, formdata=None),
        save_form=SaveViewForm(formdata=None),
        return_to=request.full_path,
        view_query=request.query_string.decode(),
        saved=saved_views.views_of(current_user.id),
        today=today(),
    )


@bp.get("/export.csv")
@staff_required
def export_csv():
    """The filtered list as CSV (every matching enquiry, not just one page)."""
    filters = _filter_form(staff_directory()).filters()
    export.audit_export(current_user.id)
    body = stream_with_context(export.rows(filters, current_user.id))
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
    result = services.bulk_update(
        form.ids.data, form.action.data, form.value(), current_user.id, form.outcome.data or None
    )
    flash(ngettext("%(num)s enquiry changed.", "%(num)s enquiries changed.", result.changed), "ok")
    for notice in result.refused:
        flash(
            _(
                "%(address)s was not told: the outbox refuses that address.",
                address=notice.recipient,
            ),
            "error",
        )
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
    except LookupError:
        return render_error(404)
    flash(_("The view is deleted."), "ok")
    return see_other(url_for("inbox.index"))
