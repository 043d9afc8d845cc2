"""The admins' data-subject page (``/inbox/admin/privacy/``): open requests with their due
dates, everything held about an address, its export (JSON, readable HTML) and erasure."""

from __future__ import annotations

import json

from flask import Response, flash, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.access import admin_required
from portal.inbox.due import today
from portal.intake.labels import CHOICES, LABELS
from portal.intake.models import Enquiry
from portal.privacy import subjects
from portal.privacy.forms import AnsweredForm, EraseForm, FindForm
from portal.privacy.views import bp
from portal.timestamps import NORWAY
from portal.web.errors import render_error
from portal.web.htmx import see_other

PAGE = "/admin/privacy/"


@bp.get(PAGE)
@admin_required
def subject_requests():
    """Open requests, and what is held about the address looked up (``?email=``)."""
    form = FindForm(request.args)
    found = (
        subjects.holdings(form.email.data) if "email" in request.args and form.validate() else None
    )
    status = 400 if form.errors else 200
    page = render_template(
        "privacy/subjects.html",
        form=form,
        found=found,
        erase_form=EraseForm(email=found.email) if found else None,
        answered_form=AnsweredForm(),
        requests=subjects.open_requests(),
        today=today(),
    )
    return page, status


def _found_or_none():
    form = FindForm(request.args)
    if not form.validate():
        return None
    found = subjects.holdings(form.email.data)
    return found if found.anything else None


@bp.get(PAGE + "export.json")
@admin_required
def export_json():
    """Everything held about ``?email=`` as JSON (a download); audited."""
    found = _found_or_none()
    if found is None:
        return render_error(404)
    body = json.dumps(subjects.as_json(found), ensure_ascii=False, indent=2)
    subjects.record_export(found, "json", current_user.id)
    return _download(body, "application/json", "json")


@bp.get(PAGE + "export.html")
@admin_required
def export_html():
    """The same as a readable page in the requester's language (a download); audited."""
    found = _found_or_none()
    if found is None:
        return render_error(404)
    with force_locale(found.lang):
        body = render_template(
            "privacy/export.html",
            found=found,
            lang=found.lang,
            fields=_fields,
            norway=NORWAY,
        )
    subjects.record_export(found, "html", current_user.id)
    return _download(body, "text/html", "html")


def _fields(enquiry: Enquiry) -> list[tuple[str, str]]:
    """The enquiry's answers with their labels, in the current (the requester's) language."""
    rows = []
    for name, label in LABELS.items():
        value = getattr(enquiry, name, None)
        if value in (None, "", False):
            continue
        if value is True:
            value = _("Yes")
        shown = CHOICES[name].get(value, value) if name in CHOICES else value
        rows.append((str(label), str(shown)))
    return rows


def _download(body: str, mimetype: str, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    name = f"sesam-data-{today().isoformat()}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post(PAGE + "erase")
@admin_required
def erase():
    """Anonymise everything held about the address at once (held enquiries are listed)."""
    form = EraseForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "error")
        return see_other(url_for("privacy.subject_requests", email=form.email.data or None))
    result = subjects.erase(form.email.data, current_user.id)
    message = _("%(count)s enquiries anonymised.", count=len(result.anonymised))
    if result.held:
        message += " " + _("Kept under a hold: %(references)s.", references=", ".join(result.held))
    flash(message, "ok")
    return see_other(url_for("privacy.subject_requests", email=form.email.data))


@bp.post(PAGE + "requests/<int:enquiry_id>/answered")
@admin_required
def answered(enquiry_id: int):
    """Mark the enquirer's request answered."""
    if not AnsweredForm().validate_on_submit():
        return render_error(400)
    if subjects.mark_answered(enquiry_id, current_user.id):
        flash(_("The request is marked as answered."), "ok")
    return see_other(url_for("privacy.subject_requests"))
