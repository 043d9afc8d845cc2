"""The base of every form in the portal: Flask-WTF's, with WTForms' own messages translated.

Flask-WTF reads WTForms' message catalogue from disk once per request; a list page builds
several forms, and every submission one. Here each language's catalogue is read once per process.
"""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations
from flask import current_app
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@cache
def wtforms_catalogue(locale: str) -> NullTranslations:
    """WTForms' built-in messages ("This field is required.") in ``locale``."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    """FlaskForm whose built-in messages come from a catalogue read once per language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            locale = get_locale()
            if locale is None or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_catalogue(str(locale))
