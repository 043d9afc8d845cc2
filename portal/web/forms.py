"""The base of every form in the portal: Flask-WTF's, with WTForms' own messages in nb, nn and en.

WTForms' built-in messages ("This field is required.") come through its documented hook,
``Meta.get_translations``: Flask-WTF's, which reads WTForms' catalogue for the request's
language. WTForms ships Bokmål but no Nynorsk, so for Nynorsk the messages come from the
portal's own catalogue (``portal/web/translations/nn``), which translates those the portal's
forms can show.
"""

from __future__ import annotations

from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import ValidationError

NOT_IN_WTFORMS = frozenset({"nn"})  # languages whose messages the portal's catalogue gives
NOT_A_CHOICE = _l("Choose one of the options.")
NOT_A_DATE = _l("Enter a date like 2026-03-31.")


class Form(FlaskForm):
    """FlaskForm whose built-in messages are in the request's language, Nynorsk included."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if str(get_locale()) in NOT_IN_WTFORMS:
                return get_translations()
            return super().get_translations(form)


class Choice(SelectField):
    """A select whose "not one of the options" message is the portal's own (nb, nn, en), or a
    subclass's ``not_a_choice``."""

    not_a_choice = NOT_A_CHOICE

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(str(self.not_a_choice)) from error


class Day(DateField):
    """A date field whose parse error is the portal's own message (nb, nn, en)."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(NOT_A_DATE)) from error
