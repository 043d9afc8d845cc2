"""Admin pages for staff accounts under ``/inbox/admin/users`` (on the ``accounts`` blueprint)."""

from __future__ import annotations

from flask import flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import queries, services
from portal.accounts.access import admin_required
from portal.accounts.forms import UserCreateForm, UserEditForm
from portal.accounts.passwords import PasswordPolicyError
from portal.accounts.views import bp
from portal.web.htmx import see_other


@bp.get("/admin/users")
@admin_required
def users():
    """Every staff account."""
    return render_template("accounts/users.html", users=queries.staff_list())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    """Create an account; without a password, the new user gets a link to choose one."""
    form = UserCreateForm(role="staff", lang="nb")
    problem = None
    if form.validate_on_submit():
        try:
            user = services.create_user(
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                lang=form.lang.data,
                password=form.password.data or None,
                send_link=not form.password.data,
                actor_id=current_user.id,
            )
        except (services.AccountError, PasswordPolicyError) as error:
            problem = str(error)
        else:
            flash(_("The account for %(name)s is created.", name=user.name), "ok")
            return see_other(url_for("accounts.users"))
    return render_template("accounts/user_new.html", form=form, problem=problem)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    """Change an account's name, role, language and whether it is active."""
    user = queries.user_or_404(user_id)
    form = UserEditForm(obj=user)
    problem = None
    if form.validate_on_submit():
        try:
            services.update_user(
                user.id,
                name=form.name.data,
                role=form.role.data,
                lang=form.lang.data,
                active=form.active.data,
                actor_id=current_user.id,
            )
        except services.AccountError as error:
            problem = str(error)
        else:
            flash(_("The changes for %(name)s are saved.", name=user.name), "ok")
            return see_other(url_for("accounts.users"))
    return render_template("accounts/user_edit.html", form=form, user=user, problem=problem)


def _act(user_id: int, action, done: str):
    user = queries.user_or_404(user_id)
    try:
        action(user.id, actor_id=current_user.id)
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        flash(done % {"name": user.name}, "ok")
    return see_other(url_for("accounts.user_edit", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/deactivate")
@admin_required
def user_deactivate(user_id: int):
    """Switch an account off; its sessions end at once."""
    return _act(user_id, services.deactivate, _("%(name)s can no longer sign in."))


@bp.post("/admin/users/<int:user_id>/sessions")
@admin_required
def user_end_sessions(user_id: int):
    """Sign an account out on every device."""
    return _act(user_id, services.end_sessions, _("%(name)s is signed out everywhere."))


@bp.post("/admin/users/<int:user_id>/reset-link")
@admin_required
def user_send_reset(user_id: int):
    """Email the account a link to choose a new password."""
    return _act(
        user_id,
        services.send_reset_link,
        _("A link to choose a password is on its way to %(name)s."),
    )
