"""Admin pages of the inbox: routing rules and reply templates (``/inbox/admin/...``)."""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask_babel import gettext as _

from portal.accounts.access import admin_required
from portal.inbox import queries, replies, rules
from portal.inbox.forms import ConfirmForm, RoutingForm, TemplateForm
from portal.inbox.services import InvalidChange
from portal.inbox.views import bp
from portal.web.errors import render_error
from portal.web.htmx import see_other


@bp.route("/admin/routing", methods=["GET", "POST"])
@admin_required
def routing():
    """Who gets each enquiry type when it arrives."""
    current = {code: str(staff_id or "") for code, staff_id in rules.routing_table().items()}
    form = RoutingForm(queries.staff_choices(), data=current)
    if form.validate_on_submit():
        rules.save_routing(form.assignees())
        flash(_("The routing rules are saved."), "ok")
        return see_other(url_for("inbox.routing"))
    return render_template("inbox/admin/routing.html", form=form)


@bp.get("/admin/templates")
@admin_required
def templates():
    """Every reply template, by language."""
    return render_template(
        "inbox/admin/templates.html", templates=replies.templates(), confirm=ConfirmForm()
    )


@bp.route("/admin/templates/new", methods=["GET", "POST"])
@admin_required
def template_new():
    """Write a new reply template."""
    return _edit_template(None, TemplateForm(lang="nb"))


@bp.route("/admin/templates/<int:template_id>", methods=["GET", "POST"])
@admin_required
def template_edit(template_id: int):
    """Change a reply template."""
    template = replies.get_template(template_id)
    if template is None:
        return render_error(404)
    return _edit_template(template.id, TemplateForm(obj=template))


def _edit_template(template_id: int | None, form: TemplateForm):
    problem = None
    if form.validate_on_submit():
        try:
            replies.save_template(template_id, form.name.data, form.lang.data, form.body.data)
        except InvalidChange:
            problem = _("There is already a template with that name in that language.")
        else:
            flash(_("The reply template is saved."), "ok")
            return see_other(url_for("inbox.templates"))
    return render_template(
        "inbox/admin/template_edit.html", form=form, template_id=template_id, problem=problem
    )


@bp.post("/admin/templates/<int:template_id>/delete")
@admin_required
def template_delete(template_id: int):
    """Delete a reply template."""
    try:
        replies.delete_template(template_id)
    except LookupError:
        return render_error(404)
    flash(_("The reply template is deleted."), "ok")
    return see_other(url_for("inbox.templates"))
