"""Staff pages of the privacy feature: the hold on an enquiry's page (a side panel)."""

from __future__ import annotations

from flask import Blueprint, flash, g, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.access import staff_required
from portal.inbox.detail_views import render_case
from portal.privacy import holds
from portal.privacy.forms import HoldForm
from portal.web.areas import STAFF_PREFIX
from portal.web.errors import render_error
from portal.web.htmx import see_other, wants_fragment

bp = Blueprint("privacy", __name__, url_prefix=STAFF_PREFIX)
HOLD_PANEL = "privacy/_hold.html"


def hold_panel_context(enquiry) -> dict:
    """The hold panel's data: its form (as posted, when it came back with an error) and who
    last changed the hold."""
    form = g.pop("hold_form", None) or HoldForm(
        prefix="hold",
        data={"kind": enquiry.hold_kind or "", "reference": enquiry.hold_reference or ""},
    )
    return {"form": form, "last": holds.last_change(enquiry.reference)}


@bp.post("/enquiries/<int:enquiry_id>/hold")
@staff_required
def hold(enquiry_id: int):
    """Set, change or lift the hold; the panel again (htmx) or the page."""
    form = HoldForm(prefix="hold")
    message = None
    if form.validate_on_submit():
        try:
            holds.set_hold(enquiry_id, form.kind.data or None, form.reference.data, current_user.id)
        except holds.NoSuchEnquiry:
            return render_error(404)
        except holds.HoldError as error:
            form.kind.errors = [*form.kind.errors, str(error)]
        else:
            message = _("The hold is saved.")
            if not wants_fragment():
                flash(message, "ok")
                return see_other(url_for("inbox.detail", enquiry_id=enquiry_id))
            form = None
    if form is not None:
        g.hold_form = form
    return render_case(enquiry_id, fragment=HOLD_PANEL, message=message)
