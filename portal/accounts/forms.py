"""Staff account forms: login, reset, own account, and the admin's user forms (session CSRF on)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from portal.accounts.models import DIGEST_HOURS, ROLES
from portal.accounts.passwords import policy_problems
from portal.web.forms import Choice, Form
from portal.web.i18n import LANG_NAMES, LANGS

ROLE_LABELS = {"admin": _l("Administrator"), "staff": _l("Staff member")}
EMAIL_ATTRS = {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
NEW_PASSWORD_ATTRS = {"autocomplete": "new-password"}


def _policy(form, field) -> None:
    if field.data:
        problems = policy_problems(field.data)
        if problems:
            raise ValidationError(" ".join(str(problem) for problem in problems))


def _email_field(label=None) -> StringField:
    return StringField(
        label or _l("Email address"),
        validators=[
            DataRequired(_l("Enter an email address.")),
            Length(max=254, message=_l("The email address is too long.")),
            Email(_l("Enter an email address like name@example.org.")),
        ],
        render_kw={**EMAIL_ATTRS, "type": "email"},
    )


def _new_password(label, required: bool = True) -> PasswordField:
    first = DataRequired(_l("Enter a new password.")) if required else Optional()
    return PasswordField(label, validators=[first, _policy], render_kw=NEW_PASSWORD_ATTRS)


def _confirm(other: str) -> PasswordField:
    return PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo(other, message=_l("The two passwords are not the same."))],
        render_kw=NEW_PASSWORD_ATTRS,
    )


def _name_field() -> StringField:
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter a name.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )


def _lang_field() -> RadioField:
    return RadioField(
        _l("Language in the inbox"),
        choices=[SelectChoice(lang, LANG_NAMES[lang]) for lang in LANGS],
        validators=[DataRequired(_l("Choose a language."))],
    )


def _role_field() -> RadioField:
    return RadioField(
        _l("Role"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
        validators=[DataRequired(_l("Choose a role."))],
    )


class LoginForm(Form):
    email = StringField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=1000)],
        render_kw={**EMAIL_ATTRS, "type": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ForgotForm(Form):
    email = _email_field()


class ResetForm(Form):
    password = _new_password(_l("New password"))
    confirm = _confirm("password")


class ProfileForm(Form):
    name = _name_field()
    lang = _lang_field()


CHOOSE_AN_HOUR = _l("Choose an hour.")


class HourField(Choice, RadioField):
    """The digest's hour: anything but one of the offered hours gets the form's own message."""

    not_a_choice = CHOOSE_AN_HOUR


class SettingsForm(Form):
    """The inbox's keyboard shortcuts and the daily digest, each person's own choice."""

    shortcuts = BooleanField(_l("Use the keyboard shortcuts"))
    digest = BooleanField(_l("Send me a digest each working day"))
    digest_hour = HourField(
        _l("Send it from"),
        coerce=int,
        choices=[SelectChoice(hour, f"{hour:02d}:00") for hour in DIGEST_HOURS],
        validators=[DataRequired(CHOOSE_AN_HOUR)],
    )


class PasswordChangeForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password(_l("New password"))
    confirm = _confirm("new_password")


class UserCreateForm(Form):
    name = _name_field()
    email = _email_field()
    role = _role_field()
    lang = _lang_field()
    password = _new_password(_l("Password"), required=False)


class UserEditForm(Form):
    name = _name_field()
    role = _role_field()
    lang = _lang_field()
    active = BooleanField(_l("Active: the account can sign in"))
