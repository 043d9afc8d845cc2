"""One enquiry under ``/inbox/enquiries/<id>``: the page and its actions (page or fragment).

Every action is a real form POST: without JavaScript it answers 303 back to the page; with htmx
it answers the fragment it changed, rendered by the same code as the page, and an ``HX-Trigger``
so the timeline (and the triage panel, after a reply) reload themselves.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.access import staff_required
from portal.extensions import htmx
from portal.inbox import queries, replies, services
from portal.inbox.due import today
from portal.inbox.forms import (
    AssigneeForm,
    FollowUpForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TagsForm,
    split_tags,
)
from portal.inbox.timeline import CaseFile, case_file
from portal.inbox.views import bp
from portal.web.htmx import render_page_or_fragment, see_other, wants_fragment

PAGE = "inbox/detail.html"
TRIAGE = "inbox/_triage.html"
NOTE = "inbox/_note.html"
REPLY = "inbox/_reply.html"
TIMELINE = "inbox/_timeline.html"
FRAGMENTS = {"timeline": TIMELINE, "triage": TRIAGE, "reply": REPLY, "note": NOTE}


def _forms(case: CaseFile, staff: list, overrides: dict) -> dict:
    enquiry = case.enquiry
    forms = {
        "status": StatusForm(formdata=None, status=enquiry.status),
        "assignee": AssigneeForm(staff, formdata=None, assignee=str(enquiry.assignee_id or "")),
        "priority": PriorityForm(formdata=None, priority=enquiry.priority),
        "tags": TagsForm(formdata=None, tags=", ".join(case.tags)),
        "follow_up": FollowUpForm(formdata=None, follow_up_on=enquiry.follow_up_on),
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
    **overrides,
):
    """The detail page, or ``fragment`` of it for htmx (by default the one htmx targets)."""
    case = case_file(enquiry_id)
    staff = queries.staff_choices()
    forms = _forms(case, staff, overrides)
    _prefill(forms["reply"], case, template_id)
    fragment = fragment or FRAGMENTS.get(htmx.target or "", PAGE)
    return render_page_or_fragment(
        PAGE,
        fragment,
        case=case,
        enquiry=case.enquiry,
        forms=forms,
        staff=staff,
        templates=replies.templates(case.enquiry.lang),
        message=message,
        today=today(),
    )


def _done(enquiry_id: int, fragment: str, message: str, events: str):
    """After a change: the changed fragment and events for htmx, 303 to the page otherwise."""
    if wants_fragment():
        response = render_case(enquiry_id, fragment, message=message)
        response.headers["HX-Trigger"] = events
        return response
    flash(message, "ok")
    return see_other(url_for("inbox.detail", enquiry_id=enquiry_id))


@bp.get("/enquiries/<int:enquiry_id>")
@staff_required
def detail(enquiry_id: int):
    """One enquiry: every field, the timeline, triage actions, notes and the reply form.

    ``?template=<id>`` fills the reply form from a reply template.
    """
    return render_case(enquiry_id, template_id=request.args.get("template", type=int))


@bp.post("/enquiries/<int:enquiry_id>/status")
@staff_required
def change_status(enquiry_id: int):
    """Change the status; also marks as spam and releases from spam."""
    form = StatusForm()
    if not form.validate_on_submit():
        return render_case(enquiry_id, TRIAGE, status=form)
    services.set_status(enquiry_id, form.status.data, current_user.id)
    return _done(enquiry_id, TRIAGE, _("The status is saved."), "timeline-changed")


@bp.post("/enquiries/<int:enquiry_id>/assignee")
@staff_required
def change_assignee(enquiry_id: int):
    """Give the enquiry to a colleague (or to nobody)."""
    form = AssigneeForm(queries.staff_choices())
    if not form.validate_on_submit():
        return render_case(enquiry_id, TRIAGE, assignee=form)
    assignee_id = int(form.assignee.data) if form.assignee.data else None
    services.assign(enquiry_id, assignee_id, current_user.id)
    return _done(enquiry_id, TRIAGE, _("The assignee is saved."), "timeline-changed")


@bp.post("/enquiries/<int:enquiry_id>/priority")
@staff_required
def change_priority(enquiry_id: int):
    """Set the priority."""
    form = PriorityForm()
    if not form.validate_on_submit():
        return render_case(enquiry_id, TRIAGE, priority=form)
    services.set_priority(enquiry_id, form.priority.data, current_user.id)
    return _done(enquiry_id, TRIAGE, _("The priority is saved."), "timeline-changed")


@bp.post("/enquiries/<int:enquiry_id>/tags")
@staff_required
def change_tags(enquiry_id: int):
    """Replace the tags with the comma-separated list given."""
    form = TagsForm()
    if not form.validate_on_submit():
        return render_case(enquiry_id, TRIAGE, tags=form)
    services.set_tags(enquiry_id, split_tags(form.tags.data), current_user.id)
    return _done(enquiry_id, TRIAGE, _("The tags are saved."), "timeline-changed")


@bp.post("/enquiries/<int:enquiry_id>/follow-up")
@staff_required
def change_follow_up(enquiry_id: int):
    """Set or clear the follow-up date."""
    form = FollowUpForm()
    if not form.validate_on_submit():
        return render_case(enquiry_id, TRIAGE, follow_up=form)
    services.set_follow_up(enquiry_id, form.follow_up_on.data, current_user.id)
    return _done(enquiry_id, TRIAGE, _("The follow-up date is saved."), "timeline-changed")


@bp.post("/enquiries/<int:enquiry_id>/notes")
@staff_required
def add_note(enquiry_id: int):
    """Add an internal note to the timeline."""
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        return render_case(enquiry_id, NOTE, note=form)
    services.add_note(enquiry_id, form.body.data, current_user.id)
    return _done(enquiry_id, NOTE, _("The note is added."), "timeline-changed")


@bp.post("/enquiries/<int:enquiry_id>/reply")
@staff_required
def reply(enquiry_id: int):
    """Email a reply to the enquirer through the outbox."""
    form = ReplyForm(prefix="reply")
    if not form.validate_on_submit():
        return render_case(enquiry_id, REPLY, reply=form)
    replies.reply(enquiry_id, form.body.data, current_user.id)
    message = _("The reply is in the outbox and will be sent shortly.")
    return _done(enquiry_id, REPLY, message, "timeline-changed, triage-changed")
