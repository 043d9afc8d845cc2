"""Staff sign-in pages under ``/inbox``: login, logout, forgotten password, reset, own account."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from portal.accounts import services, sessions, tokens
from portal.accounts.access import home_url, safe_next, staff_required
from portal.accounts.forms import (
    ForgotForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetForm,
    SettingsForm,
)
from portal.accounts.passwords import PasswordPolicyError
from portal.extensions import client_key, limiter
from portal.web.areas import STAFF_PREFIX
from portal.web.errors import render_error
from portal.web.htmx import see_other
from portal.web.i18n import DEFAULT_LANG, LANG_NAMES, LANGS

bp = Blueprint("accounts", __name__, url_prefix=STAFF_PREFIX)
bp.before_app_request(sessions.before_staff_request)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _forgot_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def anon_url(endpoint: str, **values) -> str:
    """``url_for`` that keeps a signed-out visitor's ``?lang=`` choice."""
    lang = g.get("lang", DEFAULT_LANG)
    if lang != DEFAULT_LANG and not current_user.is_authenticated:
        values.setdefault("lang", lang)
    return url_for(endpoint, **values)


def lang_links() -> list[dict]:
    """The current signed-out page in each language (``?lang=``), for the staff layout."""
    if not request.endpoint:
        return []
    args = {**request.args.to_dict(), **(request.view_args or {})}
    current = g.get("lang", DEFAULT_LANG)
    return [
        {
            "lang": lang,
            "name": LANG_NAMES[lang],
            "current": lang == current,
            "url": url_for(request.endpoint, **{**args, "lang": lang}),
        }
        for lang in LANGS
    ]


def _login_page(form: LoginForm, status: int = 200, **flags):
    return render_template("accounts/login.html", form=form, **flags), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in; success starts a fresh session and goes to ``next`` (under /inbox/) or home."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")) or home_url())
    form = LoginForm(next=safe_next(request.args.get("next")))
    if not form.validate_on_submit():
        return _login_page(form)
    try:
        user = services.authenticate(form.email.data, form.password.data, client_key())
    except services.LoginThrottled:
        return _login_page(form, 429, throttled=True)
    if user is None:
        return _login_page(form, failed=True)
    sessions.start_session(user)
    return see_other(safe_next(form.next.data) or home_url())


@bp.route("/logout", methods=["GET", "POST"])
@staff_required
def logout():
    """GET: a small confirm form. POST: end this user's sessions everywhere."""
    if request.method == "GET":
        return render_template("accounts/logout.html")
    lang = current_user.lang
    services.end_sessions(current_user.id, actor_id=current_user.id)
    sessions.end_session()
    flash(_("You are signed out."), "ok")
    return see_other(url_for("accounts.login", lang=lang if lang != DEFAULT_LANG else None))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_forgot_limit, methods=["POST"])
def forgot():
    """Ask for a reset link; the answer is the same whether the address has an account or not."""
    form = ForgotForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _(
                "If there is an account for that address, a link to choose a new password is on "
                "its way. The link works for one hour."
            ),
            "ok",
        )
        return see_other(anon_url("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password through an emailed link (single-use, one hour)."""
    if tokens.user_for_reset_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except PasswordPolicyError as error:
            form.password.errors.append(str(error))
        else:
            if user is not None:
                flash(_("Your new password is saved. Please sign in."), "ok")
                lang = user.lang if user.lang != DEFAULT_LANG else None
                return see_other(url_for("accounts.login", lang=lang))
    return render_template("accounts/reset.html", form=form)


def _account_page(
    profile: ProfileForm | None = None,
    password: PasswordChangeForm | None = None,
    settings: SettingsForm | None = None,
):
    profile = profile or ProfileForm(formdata=None, obj=current_user)
    password = password or PasswordChangeForm(formdata=None)
    settings = settings or SettingsForm(formdata=None, obj=current_user)
    return render_template(
        "accounts/account.html", form=profile, password_form=password, settings_form=settings
    )


@bp.route("/account", methods=["GET", "POST"])
@staff_required
def account():
    """Your own name and inbox language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user.id, name=form.name.data, lang=form.lang.data)
        sessions.choose_lang()  # say it in the language just chosen
        flash(_("Your details are saved."), "ok")
        return see_other(url_for("accounts.account"))
    return _account_page(profile=form)


@bp.post("/account/settings")
@staff_required
def change_settings():
    """Your own keyboard shortcuts and daily digest."""
    form = SettingsForm()
    if form.validate_on_submit():
        services.update_settings(
            current_user.id,
            shortcuts=form.shortcuts.data,
            digest=form.digest.data,
            digest_hour=form.digest_hour.data,
        )
        flash(_("Your settings are saved."), "ok")
        return see_other(url_for("accounts.account"))
    return _account_page(settings=form)


@bp.post("/account/password")
@staff_required
def change_password():
    """Change your own password; other sessions end, this one goes on."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(
                current_user.id, form.current_password.data, form.new_password.data
            )
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        except PasswordPolicyError as error:
            form.new_password.errors.append(str(error))
        else:
            sessions.start_session(user)
            flash(_("Your new password is saved. Other sessions have been signed out."), "ok")
            return see_other(url_for("accounts.account"))
    return _account_page(password=form)


@bp.errorhandler(429)
def too_many_attempts(error):
    """Flask-Limiter's refusal, shown as the form again with a translated message."""
    sessions.reset_request_state()
    sessions.choose_lang()
    if request.endpoint == "accounts.forgot":
        return render_template("accounts/forgot.html", form=ForgotForm(), throttled=True), 429
    return _login_page(LoginForm(), 429, throttled=True)


@bp.errorhandler(CSRFError)
def form_expired(error):
    """A login form left open too long: show it again instead of a bare error page."""
    sessions.reset_request_state()
    sessions.choose_lang()
    if request.endpoint == "accounts.login":
        return _login_page(LoginForm(), 400, expired=True)
    return render_error(400)
