"""The base of every form in the portal: Flask-WTF's, with WTForms' own messages in nb, nn and en.

WTForms' built-in messages ("This field is required.") come through its documented hook,
``Meta.get_translations``: Flask-WTF's, which reads WTForms' catalogue for the request's
language. WTForms ships Bokmål but no Nynorsk, so for Nynorsk the messages come from the
portal's own catalogue (``portal/web/translations/nn``), which translates those the portal's
forms can show.
"""

from __future__ import annotations

from flask_babel import get_locale, get_translations
from flask_wtf import FlaskForm

NOT_IN_WTFORMS = frozenset({"nn"})  # languages whose messages the portal's catalogue gives


class Form(FlaskForm):
    """FlaskForm whose built-in messages are in the request's language, Nynorsk included."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if str(get_locale()) in NOT_IN_WTFORMS:
                return get_translations()
            return super().get_translations(form)
