"""Staff screens for inbound mail under ``/inbox/mail``: unmatched mail (attach, one click for
a suggestion, discard), the raw message as text, attachments as downloads only."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.utils import secure_filename

from portal.accounts.access import staff_required
from portal.conversation import queries, services
from portal.conversation.forms import AttachForm, DecisionForm
from portal.extensions import db
from portal.intake.models import Enquiry
from portal.web.areas import STAFF_PREFIX
from portal.web.errors import render_error
from portal.web.htmx import see_other

bp = Blueprint("conversation", __name__, url_prefix=STAFF_PREFIX + "/mail")


def _page(problem_id: int | None = None, form: AttachForm | None = None) -> str:
    """The unmatched-mail page; ``form`` (with its errors) in place of ``problem_id``'s own."""
    messages = queries.unmatched()
    suggested_ids = {m.suggested_enquiry_id for m in messages if m.suggested_enquiry_id}
    found = db.session.scalars(select(Enquiry).where(Enquiry.id.in_(suggested_ids)))
    suggestions = {enquiry.id: enquiry for enquiry in found}
    return render_template(
        "conversation/unmatched.html",
        messages=messages,
        attachments=queries.attachments_of([m.id for m in messages]),
        suggestions=suggestions,
        forms={m.id: form if m.id == problem_id else _attach_form(m.id, None) for m in messages},
        decision=DecisionForm(formdata=None),
    )


def _attach_form(inbound_id: int, formdata) -> AttachForm:
    """One form per message on the page, so each field's id is its own."""
    return AttachForm(formdata=formdata, prefix=f"mail{inbound_id}")


@bp.get("/unmatched")
@staff_required
def unmatched():
    """Mail that matched no enquiry by itself, newest first."""
    return _page()


@bp.post("/<int:inbound_id>/attach")
@staff_required
def attach(inbound_id: int):
    """Attach an unmatched mail to the enquiry whose reference staff wrote or clicked."""
    form = _attach_form(inbound_id, request.form)
    if not form.validate():
        return _page(inbound_id, form)
    try:
        inbound = services.attach_by_staff(inbound_id, form.reference.data, current_user.id)
    except LookupError:
        return render_error(404)
    except ValueError:
        form.reference.errors = [_("No enquiry has that reference.")]
        return _page(inbound_id, form)
    flash(_("The mail is on the enquiry's timeline."), "ok")
    return see_other(url_for("inbox.detail", enquiry_id=inbound.enquiry_id))


@bp.post("/<int:inbound_id>/discard")
@staff_required
def discard(inbound_id: int):
    """Set an unmatched mail aside (it is kept, with who did it and when)."""
    if not DecisionForm().validate():
        return render_error(400)
    try:
        services.discard(inbound_id, current_user.id)
    except LookupError:
        return render_error(404)
    flash(_("The mail is discarded."), "ok")
    return see_other(url_for("conversation.unmatched"))


@bp.get("/<int:inbound_id>/raw")
@staff_required
def raw(inbound_id: int):
    """The message as it came, shown as plain text (never as HTML)."""
    inbound = queries.inbound(inbound_id)
    if inbound is None or inbound.raw is None:
        return render_error(404)
    return Response(inbound.raw.decode("utf-8", "replace"), mimetype="text/plain")


@bp.get("/attachments/<int:attachment_id>")
@staff_required
def attachment(attachment_id: int):
    """An attachment, only ever as a download (SECURITY A6)."""
    found = queries.attachment(attachment_id)
    if found is None or found.data is None:
        return render_error(404)
    name = secure_filename(found.filename) or f"attachment-{found.id}"
    disposition = f'attachment; filename="{name}"'
    headers = {"Content-Disposition": disposition}
    return Response(found.data, mimetype="application/octet-stream", headers=headers)
