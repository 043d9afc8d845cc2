"""One enquiry under ``/inbox/enquiries/<id>``: the page and its actions (page or fragment).

Every action is a real form POST: without JavaScript it answers 303 back to the page; with htmx
it answers the fragment it changed, rendered by the same code as the page, and an ``HX-Trigger``
so the timeline (and the triage panel, after a reply) reload themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user

from portal.accounts.access import staff_required
from portal.extensions import db, htmx
from portal.inbox import queries, replies, services
from portal.inbox.detail_forms import NoteForm, ReplyForm, StatusForm, TriageForm
from portal.inbox.due import today
from portal.inbox.panels import case_panels, panel_data, panel_for
from portal.inbox.timeline import CaseFile, case_file
from portal.inbox.triage import Refused, save_triage
from portal.inbox.views import bp
from portal.web.forms import Form
from portal.web.htmx import render_page_or_fragment, see_other, wants_fragment
from portal.web.urls import database_id

PAGE = "inbox/detail.html"
TRIAGE = "inbox/_triage.html"
NOTE = "inbox/_note.html"
REPLY = "inbox/_reply.html"
TIMELINE = "inbox/_timeline.html"
TIMELINE_CHANGED = "timeline-changed"
FRAGMENTS = {"timeline": TIMELINE, "triage": TRIAGE, "reply": REPLY, "note": NOTE}


def _forms(case: CaseFile, staff: list, overrides: dict) -> dict:
    enquiry = case.enquiry
    forms = {
        "status": StatusForm(formdata=None, status=enquiry.status),
        "triage": TriageForm(
            staff,
            formdata=None,
            status=enquiry.status,
            outcome=enquiry.outcome or "",
            outcome_referred_to=enquiry.outcome_referred_to,
            outcome_text=enquiry.outcome_text,
            assignee=str(enquiry.assignee_id or ""),
            priority=enquiry.priority,
            tags=", ".join(case.tags),
            follow_up_on=enquiry.follow_up_on,
        ),
        "note": NoteForm(formdata=None, prefix="note"),
        "reply": ReplyForm(formdata=None, prefix="reply"),
    }
    forms.update(overrides)
    return forms


def _prefill(form: ReplyForm, case: CaseFile, template_id: int | None) -> None:
    """Put reply template ``template_id`` into the reply form, its placeholders filled in."""
    template = replies.get_template(template_id) if template_id else None
    if template is not None:
        form.body.data = replies.fill_template(
            template.body,
            name=case.enquiry.name,
            reference=case.enquiry.reference,
            staff_name=current_user.name,
        )


def render_case(
    enquiry_id: int,
    fragment: str | None = None,
    message: str | None = None,
    template_id: int | None = None,
    preview: tuple[str, str] | None = None,
    level: str = "ok",
    **overrides,
):
    """The detail page, or ``fragment`` of it for htmx (by default the one htmx targets);
    ``preview`` is a reply's subject and text exactly as they would be sent."""
    case = case_file(enquiry_id)
    staff = queries.staff_choices()
    forms = _forms(case, staff, overrides)
    _prefill(forms["reply"], case, template_id)
    fragment = fragment or FRAGMENTS.get(htmx.target or "") or _panel_fragment(htmx.target)
    return render_page_or_fragment(
        PAGE,
        fragment,
        case=case,
        enquiry=case.enquiry,
        forms=forms,
        staff=staff,
        templates=replies.templates(case.enquiry.lang),
        message=message,
        level=level,
        today=today(),
        preview=preview,
        panels=case_panels(),
        panel_data=panel_data(case.enquiry),
    )


def _panel_fragment(target: str | None) -> str:
    """The template of the added panel htmx targets (``panel-<name>``), or the whole page."""
    panel = panel_for(target) if target else None
    return panel.template if panel else PAGE


def _done(enquiry_id: int, fragment: str, message: str, events: str, level: str = "ok"):
    """After a change: the changed fragment and events for htmx, 303 to the page otherwise."""
    if wants_fragment():
        response = render_case(enquiry_id, fragment, message=message, level=level)
        response.headers["HX-Trigger"] = events
        return response
    flash(message, level)
    return see_other(url_for("inbox.detail", enquiry_id=enquiry_id))


@bp.get("/enquiries/<int:enquiry_id>")
@staff_required
def detail(enquiry_id: int):
    """One enquiry: every field, the timeline, triage actions, notes and the reply form.

    ``?template=<id>`` fills the reply form from a reply template.
    """
    return render_case(enquiry_id, template_id=request.args.get("template", type=database_id))


@bp.post("/enquiries/<int:enquiry_id>/reply/preview")
@staff_required
def reply_preview(enquiry_id: int):
    """The reply as it would be sent (greeting, text, sign-off, footer); nothing is stored."""
    form = ReplyForm(prefix="reply")
    if not form.validate_on_submit():
        return render_case(enquiry_id, REPLY, reply=form)
    subject, text = replies.preview(enquiry_id, form.value(), current_user.id)
    return render_case(enquiry_id, REPLY, preview=(subject, text), reply=form)


@dataclass(frozen=True)
class Change:
    """One change an enquiry's page makes: a POST to ``path`` that calls ``service(enquiry_id,
    form.value(), actor_id)`` and answers ``fragment`` with ``message`` and ``events``."""

    endpoint: str
    path: str
    form: Callable[[], Form]
    service: Callable[[int, Any, int], object]
    fragment: str
    message: LazyString
    events: str = TIMELINE_CHANGED


# Keyed by the form's name on the page (``_forms``): an invalid form is shown in its place.
CHANGES = {
    "status": Change(
        "change_status",
        "status",
        StatusForm,
        services.set_status,
        TRIAGE,
        _l("The status is saved."),
    ),
    "note": Change(
        "add_note",
        "notes",
        partial(NoteForm, prefix="note"),
        services.add_note,
        NOTE,
        _l("The note is added."),
    ),
    "reply": Change(
        "reply",
        "reply",
        partial(ReplyForm, prefix="reply"),
        replies.reply,
        REPLY,
        _l("The reply is in the outbox and will be sent shortly."),
        events="timeline-changed, triage-changed",
    ),
}


@bp.post("/enquiries/<int:enquiry_id>/triage")
@staff_required
def triage(enquiry_id: int):
    """Save the handling panel: status, outcome, assignee, priority, tags, follow-up date."""
    form = TriageForm(queries.staff_choices())
    if not form.validate_on_submit():
        return render_case(enquiry_id, TRIAGE, triage=form)
    try:
        refused = save_triage(enquiry_id, form.value(), current_user.id)
    except services.InvalidChange:
        db.session.rollback()
        message = _("That could not be saved: the enquiry or a colleague changed meanwhile.")
        if not wants_fragment():
            flash(message, "error")  # shown by the page's own message region
            return render_case(enquiry_id, TRIAGE, triage=form)
        return render_case(enquiry_id, TRIAGE, message=message, level="error", triage=form)
    if refused:
        return _done(enquiry_id, TRIAGE, refused_message(refused), TIMELINE_CHANGED, "error")
    return _done(enquiry_id, TRIAGE, str(_l("The handling is saved.")), TIMELINE_CHANGED)


def refused_message(refused: list[Refused]) -> str:
    """What to say when the change was saved but a colleague could not be told."""
    return " ".join(
        _(
            "Saved, but %(name)s was not told: the outbox refuses the address %(address)s.",
            name=person.name,
            address=person.address,
        )
        for person in refused
    )


def make_change(enquiry_id: int, name: str):
    """Make the change ``CHANGES[name]`` (status, assignee, ..., reply) if its form is valid."""
    step = CHANGES[name]
    form = step.form()
    if not form.validate_on_submit():
        return render_case(enquiry_id, step.fragment, **{name: form})
    step.service(enquiry_id, form.value(), current_user.id)
    return _done(enquiry_id, step.fragment, str(step.message), step.events)


for _name, _step in CHANGES.items():
    bp.add_url_rule(
        f"/enquiries/<int:enquiry_id>/{_step.path}",
        _step.endpoint,
        staff_required(make_change),
        methods=["POST"],
        defaults={"name": _name},
    )
